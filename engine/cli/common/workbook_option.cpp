#include "workbook_option.hpp"

#include "commands.hpp"
#include "process_role.hpp"
#include "ulcsim/output_sink.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>

namespace ulcsim::cli {

namespace po = boost::program_options;

void WorkbookOption::add_to(po::options_description& options, const std::string& contents) {
    options.add_options()(
        "xlsx",
        po::value<std::string>(&file)->value_name("FILE")->notifier([](const std::string& name) {
            if (name.empty()) throw UsageError("--xlsx: the file name is empty");
        }),
        ("also write an Excel workbook FILE.xlsx: " + contents +
         "; numbers as numbers, units in the headers, months as dates")
            .c_str());
}

std::optional<std::filesystem::path>
WorkbookOption::path(const std::vector<std::filesystem::path>& other_outputs) const {
    if (file.empty()) return std::nullopt;
    const std::filesystem::path out = file;
    std::string extension = out.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension != ".xlsx")
        throw UsageError("--xlsx " + file +
                         ": the workbook's name must end in .xlsx (Excel opens nothing else)");
    OutputSink* sink = process_role().output;
    if (sink && sink->discards()) return out; // another rank writes it
    if (sink) sink->refuse_if_input(out);
    std::error_code ec;
    const std::filesystem::path where = std::filesystem::weakly_canonical(out, ec);
    for (const std::filesystem::path& other : other_outputs) {
        std::error_code other_ec;
        if (!ec && where == std::filesystem::weakly_canonical(other, other_ec))
            throw UsageError("--xlsx " + file + ": the command writes " + other.string() +
                             " there already: choose another name for the workbook");
    }
    const std::filesystem::path directory =
        out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(directory))
        throw UsageError("cannot write " + out.string() + ": directory " + directory.string() +
                         " does not exist");
    if (sink)
        for (const std::filesystem::path& stale : sink->claim(out))
            std::cerr << "ulcsim: removed " << stale.string()
                      << ", left by a run on this output that did not finish\n";
    return out;
}

TextOutput workbook_output(const std::filesystem::path& path,
                           std::function<void(const std::filesystem::path&)> write) {
    return TextOutput{path, {}, std::move(write)};
}

} // namespace ulcsim::cli
