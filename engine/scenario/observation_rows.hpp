#pragma once
// The rows of the data folder's observations.csv that a scenario's [[observation]] may name
// by id instead of copying their figures: read once per scenario, on first use.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace ulcsim::detail {

/// One dated figure of the table, the columns a coverage observation needs.
struct ObservationRow {
    std::string id;
    std::string month; ///< YYYY-MM
    std::string region;
    std::string measure;
    std::string segment;
    std::string denominator;
    double value = 0;
    std::string source;
    std::string label; ///< EXACT, QUOTED or ESTIMATE
    int line = 0;      ///< in the file, for messages
};

class ObservationRows {
public:
    /// Reads `file` (observations.csv); throws InputError naming file, line and column when
    /// it cannot be read or a value is malformed.
    explicit ObservationRows(const std::filesystem::path& file);

    const std::filesystem::path& file() const { return file_; }
    /// The row with this id, if the table has one.
    const ObservationRow* find(const std::string& id) const;

private:
    std::filesystem::path file_;
    std::map<std::string, ObservationRow, std::less<>> rows_;
};

} // namespace ulcsim::detail
