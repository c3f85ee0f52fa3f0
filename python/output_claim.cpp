#include "output_claim.hpp"

#include "ulcsim/input_error.hpp"

namespace ulcsim::python {

std::unique_ptr<OutputSink> claim_output(const std::filesystem::path& output,
                                         const std::vector<std::filesystem::path>& inputs) {
    auto sink = std::make_unique<OutputSink>();
    for (const std::filesystem::path& input : inputs)
        sink->protect_input(input);
    sink->refuse_if_input(output);
    const std::filesystem::path directory =
        output.has_parent_path() ? output.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(directory))
        throw OutputError(
            Diagnostic{{output.string(), 0, 0, false},
                       "",
                       "cannot write it: directory " + directory.string() + " does not exist"});
    sink->claim(output);
    return sink;
}

} // namespace ulcsim::python
