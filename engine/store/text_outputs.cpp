#include "ulcsim/text_outputs.hpp"

#include "ulcsim/input_error.hpp"
#include "ulcsim/output_sink.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>

namespace ulcsim {

std::filesystem::path path_beside(std::filesystem::path output, const char* extension) {
    return output.replace_extension(extension);
}

void commit_with_text_files(const std::vector<TextOutput>& texts,
                            const std::function<void()>& commit, OutputSink* sink,
                            const std::function<void()>& before_commit) {
    if (sink && sink->discards()) {
        commit();
        return;
    }
    // Named like the HDF5 temporaries (….tmp-PID), so that the next run on the output
    // recognises them should this process be killed.
    const auto temporary = [](const std::filesystem::path& path) {
        std::filesystem::path t = path;
        t += ".tmp-" + std::to_string(::getpid());
        return t;
    };
    if (sink)
        for (const TextOutput& text : texts)
            sink->refuse_if_input(text.path);
    // errno says why a stream failed (full disk, folder gone), as the standard streams do not.
    const auto cannot_write = [](const std::filesystem::path& file) {
        const int error = errno;
        return OutputError(Diagnostic{
            {file.string(), 0, 0, false},
            "",
            "cannot write it: " + std::string(error != 0 ? std::strerror(error) : "write failed")});
    };
    std::vector<std::unique_ptr<OutputSink::Temporary>> marks;
    try {
        for (const TextOutput& text : texts) {
            marks.push_back(std::make_unique<OutputSink::Temporary>(sink, temporary(text.path)));
            if (text.write_file) {
                text.write_file(temporary(text.path));
                continue;
            }
            errno = 0;
            std::ofstream out(temporary(text.path));
            if (!out) throw cannot_write(text.path);
            text.write(out);
            out.close();
            if (!out) throw cannot_write(text.path);
        }
        if (before_commit) before_commit();
        commit();
        for (const TextOutput& text : texts) {
            std::error_code ec;
            std::filesystem::rename(temporary(text.path), text.path, ec);
            if (ec)
                throw OutputError(Diagnostic{{text.path.string(), 0, 0, false},
                                             "",
                                             "cannot move it into place: " + ec.message()});
        }
    } catch (...) {
        std::error_code ec;
        for (const TextOutput& text : texts)
            std::filesystem::remove(temporary(text.path), ec);
        throw;
    }
}

} // namespace ulcsim
