// The calibrated scenario (ulcsim/calibrated_scenario.hpp): the fitted values as TOML over a
// file that extends the original.

#include "ulcsim/calibrated_scenario.hpp"

#include "ulcsim/scenario_keys.hpp"
#include "ulcsim/vary.hpp"
#include "ulcsim/version.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

namespace ulcsim {

namespace {

/// A number for a person: 4 significant digits.
std::string number(double v) {
    if (std::isnan(v)) return "n/a";
    std::ostringstream out;
    out << std::setprecision(4) << v;
    return out.str();
}

/// A number for a scenario file: enough digits to round-trip what was fitted to 10
/// significant digits, and always a TOML float.
std::string toml_number(double v) {
    std::ostringstream out;
    out << std::setprecision(10) << v;
    std::string text = out.str();
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    return text;
}

std::string percentage_points(double share_difference) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << share_difference * 100 << " pp";
    return out.str();
}

} // namespace

std::string posterior_summary(const AbcPosterior& posterior, std::size_t i) {
    const Eigen::VectorXd mean = posterior_mean(posterior);
    return number(mean[static_cast<Eigen::Index>(i)]) + " [" +
           number(weighted_quantile(posterior, i, 0.05)) + ", " +
           number(weighted_quantile(posterior, i, 0.95)) + "]";
}

namespace {

std::vector<std::string> split_key(const std::string& key) {
    std::vector<std::string> parts;
    std::stringstream in(key);
    for (std::string part; std::getline(in, part, '.');)
        parts.push_back(part);
    return parts;
}

/// A number as it was read: the shortest text that reads back as the same value.
std::string exact_number(double v) {
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, v);
    std::string text(buffer, error == std::errc() ? end : buffer);
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
    return text;
}

/// The [[population.region]] or [[commuting]] entries of `fitted` whole: an array whose
/// entries have no name replaces the base's whole when a file extends it. Fitted values are
/// written as the others fitted and marked with their start.
void write_whole_array(std::ostream& out, const std::string& array, const Scenario& fitted,
                       const std::map<std::string, std::string>& fitted_lines) {
    out << "\n# " << array << " is written whole: extends replaces the base's whole.\n";
    const auto line = [&](std::size_t entry, const std::string& key, const std::string& value) {
        const auto f = fitted_lines.find(array + "." + std::to_string(entry) + "." + key);
        out << key << " = " << (f != fitted_lines.end() ? f->second : value) << '\n';
    };
    const auto code = [&](std::size_t region) {
        return "\"" + fitted.region_table.regions()[region].code + "\"";
    };
    if (array == "commuting") {
        for (std::size_t i = 0; i < fitted.commuting.size(); ++i) {
            const CommutingFlow& c = fitted.commuting[i];
            out << "[[commuting]]\nfrom = " << code(c.from) << "\nto = " << code(c.to) << '\n';
            line(i, "share", exact_number(c.share));
        }
        return;
    }
    const auto& overrides = fitted.population.region_overrides;
    for (std::size_t i = 0; i < overrides.size(); ++i) {
        const RegionPopulationOverride& o = overrides[i];
        out << "[[population.region]]\nregion = " << code(o.region) << '\n';
        if (o.employed_workers) out << "employed_workers = " << *o.employed_workers << '\n';
        const std::pair<const char*, const std::optional<double>*> shares[] = {
            {"formal_share", &o.formal_share},
            {"vulnerable_share_of_informal", &o.vulnerable_share_of_informal},
            {"km_to_office", &o.km_to_office},
            {"commuting_share", &o.commuting_share},
            {"formal_employer", &o.formal_employer},
            {"informal_self", &o.informal_self},
            {"vulnerable_self", &o.vulnerable_self}};
        for (const auto& [key, value] : shares)
            if (*value) line(i, key, exact_number(**value));
    }
}

/// The fitted values as TOML over a file that extends `original`, each marked with its start:
/// a key of a table under the table's header, a key of a programme or policy in an entry with
/// its name (extends merges those by name), a key of a [[population.region]] or [[commuting]]
/// entry in the whole array, as the fitted scenario has it (extends replaces those whole).
void write_fitted_values(std::ostream& out, const Scenario& original,
                         const std::vector<CalibrationParameter>& parameters,
                         const Eigen::VectorXd& estimate) {
    // Where each value goes: a key of a table under its table's header; a key of a programme
    // or policy in an entry with its name, which extends merges by name; a key of an entry
    // without a name in its whole array.
    std::vector<std::string> tables;                          // headers, first use first
    std::map<std::string, std::vector<std::string>> lines;    // header → lines
    std::vector<std::pair<std::string, std::string>> entries; // (array, name), first use first
    std::map<std::string, std::string> fitted_lines;          // key → "value # was start"
    std::vector<std::string> whole_arrays;
    std::vector<KeyValue> values;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const CalibrationParameter& p = parameters[i];
        const double v = estimate[static_cast<Eigen::Index>(i)];
        values.push_back({p.key, v});
        const std::string text = toml_number(v) + " # was " + number(p.start);
        const std::vector<std::string> parts = split_key(p.key);
        const std::string_view pattern = find_scenario_key(p.key)->path;
        std::string header;
        if (pattern.starts_with("programme.*.") || pattern.starts_with("policy.*.")) {
            const std::pair<std::string, std::string> entry{parts[0], parts[1]};
            if (std::find(entries.begin(), entries.end(), entry) == entries.end())
                entries.push_back(entry);
            header = parts[0] + "." + parts[1];
            for (std::size_t j = 2; j + 1 < parts.size(); ++j)
                header += "." + parts[j];
        } else if (pattern.find(".*.") != std::string_view::npos) {
            const std::string array =
                pattern.starts_with("commuting") ? "commuting" : "population.region";
            if (std::find(whole_arrays.begin(), whole_arrays.end(), array) == whole_arrays.end())
                whole_arrays.push_back(array);
            fitted_lines[p.key] = text;
            continue;
        } else {
            for (std::size_t j = 0; j + 1 < parts.size(); ++j)
                header += (j ? "." : "") + parts[j];
        }
        if (!lines.count(header)) tables.push_back(header);
        lines[header].push_back(parts.back() + " = " + text);
    }
    for (const std::string& table : tables) {
        if (table.starts_with("programme.") || table.starts_with("policy.")) continue;
        out << "\n[" << table << "]\n";
        for (const std::string& l : lines[table])
            out << l << '\n';
    }
    for (const auto& [array, name] : entries) {
        const std::string prefix = array + "." + name;
        out << "\n[[" << array << "]]\nname = \"" << name << "\"\n";
        for (const std::string& l : lines[prefix])
            out << l << '\n';
        // Tables inside the entry (a budget's years) follow its own keys.
        for (const std::string& table : tables) {
            if (!table.starts_with(prefix + ".")) continue;
            out << "[" << array << table.substr(prefix.size()) << "]\n";
            for (const std::string& l : lines[table])
                out << l << '\n';
        }
    }
    if (!whole_arrays.empty()) {
        const Scenario fitted = vary(original, values);
        for (const std::string& array : whole_arrays)
            write_whole_array(out, array, fitted, fitted_lines);
    }
}

} // namespace

void write_calibrated_scenario(std::ostream& out, const std::filesystem::path& written_to,
                               const Scenario& original, const CalibrationProblem& problem,
                               const CalibrationResult& r,
                               const std::vector<std::string>& overrides) {
    const auto& parameters = problem.parameters();
    const auto& observations = problem.observations();
    Month last = observations.front().month;
    for (const Observation& o : observations)
        last = std::max(last, o.month);
    const std::filesystem::path from =
        std::filesystem::absolute(written_to).lexically_normal().parent_path();
    const std::filesystem::path base =
        std::filesystem::absolute(original.file).lexically_normal().lexically_relative(from);
    std::filesystem::path report = written_to;
    report.replace_extension(".fit.h5");

    out << "# Calibrated scenario written by `ulcsim calibrate` (ulcsim " << engine_version()
        << ").\n"
        << "# It extends " << original.file.filename().string()
        << " and sets only the fitted values: the Nelder–Mead estimate\n"
        << "# against " << observations.size() << " observation"
        << (observations.size() == 1 ? "" : "s") << " up to " << last.to_string()
        << ". Root mean squared error " << percentage_points(std::sqrt(r.start_loss))
        << " at the original values,\n# " << percentage_points(std::sqrt(r.estimate.loss))
        << " at the estimate.\n";
    if (r.has_posterior) {
        out << "# Posterior (ABC-SMC, " << r.posterior.draws.rows()
            << " particles): mean [5%, 95%]\n";
        for (std::size_t i = 0; i < parameters.size(); ++i)
            out << "#   " << parameters[i].key << ": " << posterior_summary(r.posterior, i) << '\n';
    }
    out << "# Fit report: " << report.filename().string()
        << " (observed vs simulated, loss, posterior draws).\n";
    if (!overrides.empty()) {
        out << "# The calibration ran with these overrides, which this file does not set:\n";
        for (const std::string& o : overrides)
            out << "#   --set " << o << '\n';
    }
    out << "extends = \"" << base.generic_string() << "\"\n";
    if (r.has_posterior)
        out << "\n[run]\n# `forecast` draws each replicate's parameters from this posterior "
               "(--priors: not).\nposterior = \""
            << report.filename().generic_string() << "\"\n";
    write_fitted_values(out, original, parameters, r.estimate.minimum);
}

} // namespace ulcsim
