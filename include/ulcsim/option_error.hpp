#pragma once
/// \file
/// A bad value of an operation's option, found by the library where the program and the
/// Python module share the check (calibrate's --fit, --prior, --particles …): the message
/// names the option as the program spells it. The program reports it as
/// "ulcsim: error: MESSAGE" with exit status 2, the Python module raises ulcsim.InputError
/// with the same message.

#include <stdexcept>

namespace ulcsim {

class OptionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace ulcsim
