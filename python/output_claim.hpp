#pragma once
// An output file a Python call writes, with the checks `ulcsim` makes on its outputs: it may
// not replace an input of the call, its folder must exist, and no other process may be
// writing it (the lock beside it; the temporary files a killed run left there go).

#include "ulcsim/output_sink.hpp"

#include <filesystem>
#include <memory>
#include <vector>

namespace ulcsim::python {

/// A sink that protects `inputs` and claims `output`. Throws InputError (OutputError) naming
/// the output when it cannot be written.
std::unique_ptr<OutputSink> claim_output(const std::filesystem::path& output,
                                         const std::vector<std::filesystem::path>& inputs);

} // namespace ulcsim::python
