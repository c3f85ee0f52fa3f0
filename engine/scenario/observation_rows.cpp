#include "observation_rows.hpp"

#include "csv_reader.hpp"

namespace ulcsim::detail {

ObservationRows::ObservationRows(const std::filesystem::path& file) : file_(file) {
    CsvReader csv(file, {"id", "month", "region", "measure", "segment", "denominator", "value",
                         "source", "label"});
    while (csv.next()) {
        ObservationRow row;
        row.id = csv.text("id");
        row.month = csv.text("month");
        row.region = csv.text("region");
        row.measure = csv.text("measure");
        row.segment = csv.text("segment");
        row.denominator = csv.text("denominator");
        row.value = csv.number("value");
        row.source = csv.text("source");
        row.label = csv.text("label");
        row.line = csv.line();
        if (row.id.empty())
            csv.error("id", "is empty");
        else if (rows_.contains(row.id))
            csv.error("id", "'" + row.id + "' is given twice");
        else
            rows_.emplace(row.id, std::move(row));
    }
    csv.finish();
}

const ObservationRow* ObservationRows::find(const std::string& id) const {
    const auto it = rows_.find(id);
    return it == rows_.end() ? nullptr : &it->second;
}

} // namespace ulcsim::detail
