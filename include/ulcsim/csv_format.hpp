#pragma once
/// \file
/// Cells of the CSV files ulcsim writes beside its HDF5 outputs, formatted one way for all
/// of them so that a spreadsheet or pandas reads every file alike.

#include <string>

namespace ulcsim {

/// A CSV field as RFC 4180 wants it: quoted (quotes doubled) when it holds a comma, a quote
/// or a line break.
std::string csv_field(const std::string& text);

/// A number for a CSV cell: 12 significant digits, empty for NaN.
std::string csv_number(double value);

} // namespace ulcsim
