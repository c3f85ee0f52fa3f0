// A deterministic mutation driver for the libFuzzer targets of this folder, so that they run
// as tests under any compiler (gcc has no -fsanitize=fuzzer): every corpus file is run as it
// is (the kept crashes are regression cases), then mutants of them — bit flips, bytes set to
// values parsers trip on, ranges deleted or repeated, tokens of the corpus inserted, splices of
// two corpus files — from a fixed seed until the time is up. A crash is the sanitizer's or the
// signal's: the driver keeps the input being run in a file, which a crash leaves behind.
//
//   TARGET [--seconds S] [--seed N] [--max-bytes N] [--keep FILE] CORPUS…
//
// CORPUS: files, or folders whose files are all taken (a path that does not exist is
// skipped: a folder of kept crashes may be empty). Prints the number of executions.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

Bytes read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const fs::path& file, const Bytes& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

/// Text parsers and binary readers alike trip on these.
const std::vector<std::string> interesting = {"0",
                                              "-1",
                                              "1e300",
                                              "-1e300",
                                              "nan",
                                              "inf",
                                              "-inf",
                                              "4294967296",
                                              "9223372036854775808",
                                              "18446744073709551616",
                                              "-0",
                                              "1e-320",
                                              "\"",
                                              "'''",
                                              "\"\"\"",
                                              "[",
                                              "]",
                                              "[[",
                                              "]]",
                                              "{",
                                              "}",
                                              "=",
                                              ".",
                                              ",",
                                              "#",
                                              "\\",
                                              "\\u0000",
                                              "\\uD800",
                                              "\n",
                                              "\r\n",
                                              "\t",
                                              "\xC0\x80",
                                              "\xED\xA0\x80",
                                              "\xFF",
                                              "2024-13",
                                              "0000-00",
                                              "9999-12",
                                              "extends = \"x.toml\"",
                                              "a.b.c.d.e.f.g.h.i.j.k.l",
                                              std::string(1, '\0'),
                                              std::string(300, 'a'),
                                              std::string(64, '['),
                                              "\xFF\xFF\xFF\xFF",
                                              "\x7F\xFF\xFF\xFF\xFF\xFF\xFF\xFF",
                                              std::string(8, '\0')};

/// Words of the text files and short byte runs of the binary ones, to insert elsewhere.
std::vector<std::string> tokens_of(const std::vector<Bytes>& corpus, std::mt19937_64& random) {
    std::vector<std::string> tokens;
    for (const Bytes& b : corpus) {
        std::string word;
        for (const std::uint8_t c : b) {
            const bool word_char = std::isalnum(c) || c == '_' || c == '.' || c == '-';
            if (word_char) {
                word.push_back(static_cast<char>(c));
            } else {
                if (word.size() >= 2 && word.size() <= 40) tokens.push_back(word);
                word.clear();
            }
        }
        for (int i = 0; i < 32 && b.size() > 16; ++i) {
            const std::size_t at = random() % (b.size() - 16);
            tokens.emplace_back(b.begin() + static_cast<std::ptrdiff_t>(at),
                                b.begin() + static_cast<std::ptrdiff_t>(at + 4 + random() % 12));
        }
    }
    std::sort(tokens.begin(), tokens.end());
    tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
    return tokens;
}

class Mutator {
public:
    Mutator(const std::vector<Bytes>& corpus, std::uint64_t seed, std::size_t max_bytes)
        : corpus_(corpus), random_(seed), max_bytes_(max_bytes) {
        tokens_ = tokens_of(corpus_, random_);
    }

    Bytes next() {
        Bytes b = corpus_[random_() % corpus_.size()];
        const int steps = 1 + static_cast<int>(random_() % 6);
        for (int i = 0; i < steps; ++i)
            mutate(b);
        if (b.size() > max_bytes_) b.resize(max_bytes_);
        return b;
    }

private:
    std::size_t below(std::size_t n) { return n == 0 ? 0 : random_() % n; }

    void insert(Bytes& b, const std::string& text) {
        const std::size_t at = below(b.size() + 1);
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), text.begin(), text.end());
    }

    void mutate(Bytes& b) {
        switch (random_() % 8) {
        case 0: // a bit
            if (!b.empty()) b[below(b.size())] ^= static_cast<std::uint8_t>(1u << (random_() % 8));
            return;
        case 1: { // a byte set to a boundary value
            static constexpr std::uint8_t values[] = {0, 1, 0x7F, 0x80, 0xFF, '"', '\n', '='};
            if (!b.empty()) b[below(b.size())] = values[random_() % std::size(values)];
            return;
        }
        case 2: { // a range deleted
            if (b.empty()) return;
            const std::size_t at = below(b.size());
            const std::size_t n = std::min(b.size() - at, 1 + below(random_() % 4 == 0 ? 512 : 16));
            b.erase(b.begin() + static_cast<std::ptrdiff_t>(at),
                    b.begin() + static_cast<std::ptrdiff_t>(at + n));
            return;
        }
        case 3: { // a range repeated
            if (b.empty()) return;
            const std::size_t at = below(b.size());
            const std::size_t n = std::min(b.size() - at, 1 + below(64));
            const Bytes copy(b.begin() + static_cast<std::ptrdiff_t>(at),
                             b.begin() + static_cast<std::ptrdiff_t>(at + n));
            b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), copy.begin(), copy.end());
            return;
        }
        case 4:
            insert(b, interesting[random_() % interesting.size()]);
            return;
        case 5:
        case 6:
            if (!tokens_.empty()) insert(b, tokens_[random_() % tokens_.size()]);
            return;
        case 7: { // a splice: the head of this one, the tail of another
            const Bytes& other = corpus_[random_() % corpus_.size()];
            const std::size_t keep = below(b.size() + 1);
            const std::size_t from = below(other.size() + 1);
            b.resize(keep);
            b.insert(b.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
            return;
        }
        }
    }

    const std::vector<Bytes>& corpus_;
    std::mt19937_64 random_;
    std::size_t max_bytes_;
    std::vector<std::string> tokens_;
};

[[noreturn]] void usage(const char* program) {
    std::cerr << "usage: " << program
              << " [--seconds S] [--seed N] [--max-bytes N] [--keep FILE] CORPUS...\n";
    std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
    double seconds = 0;
    std::uint64_t seed = 20;
    std::size_t max_bytes = 0;
    fs::path keep = fs::temp_directory_path() / "ulcsim-fuzz-input";
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&] {
            if (i + 1 >= argc) usage(argv[0]);
            return std::string(argv[++i]);
        };
        if (a == "--seconds")
            seconds = std::stod(value());
        else if (a == "--seed")
            seed = std::stoull(value());
        else if (a == "--max-bytes")
            max_bytes = std::stoull(value());
        else if (a == "--keep")
            keep = value();
        else if (a.starts_with("--"))
            usage(argv[0]);
        else if (fs::is_directory(a))
            for (const auto& e : fs::directory_iterator(a)) {
                if (e.is_regular_file()) files.push_back(e.path());
            }
        else if (fs::exists(a))
            files.emplace_back(a);
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) usage(argv[0]);
    LLVMFuzzerInitialize(&argc, &argv);

    std::vector<Bytes> corpus;
    for (const fs::path& f : files) {
        corpus.push_back(read_bytes(f));
        max_bytes = std::max(max_bytes, corpus.back().size() * 2);
    }
    keep += "-" + std::to_string(seed);
    std::cout << "keeping the input being run in " << keep.string()
              << " (after a crash: the crashing input)" << std::endl;
    std::uint64_t executions = 0;
    const auto run = [&](const Bytes& input) {
        write_bytes(keep, input);
        LLVMFuzzerTestOneInput(input.data(), input.size());
        ++executions;
    };
    for (const Bytes& input : corpus)
        run(input);
    const std::uint64_t replayed = executions;

    Mutator mutator(corpus, seed, max_bytes);
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end)
        run(mutator.next());
    const double took =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fs::remove(keep);
    std::cout << executions << " executions: " << replayed << " corpus files as they are, "
              << executions - replayed << " mutants in " << took << " s (seed " << seed
              << "); no crash\n";
    return 0;
}
