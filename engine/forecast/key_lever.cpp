// A numeric scenario key as a goal seek's lever (ulcsim/goal_seek.hpp): its candidates, from
// the key's range in the table unless the caller narrows it.

#include "ulcsim/goal_seek.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace ulcsim {

namespace {

std::string number_text(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.12g", x);
    return buffer;
}

bool whole(double x) {
    return std::isfinite(x) && x == std::floor(x);
}

// The largest whole number a double holds exactly: whole-number keys go no further here, so
// that every candidate is a distinct integer.
constexpr double whole_max = 9007199254740992.0; // 2^53

} // namespace

ScenarioValue KeyLever::value(std::int64_t candidate) const {
    if (candidate < 0 || candidate >= count)
        throw std::out_of_range("KeyLever " + key + ": no candidate " + std::to_string(candidate) +
                                " of " + std::to_string(count));
    const double x = lowest + static_cast<double>(candidate) * step;
    if (type == KeyType::integer) return static_cast<std::int64_t>(std::llround(x));
    // The value a reader of the output would type back in: 12 significant digits.
    const std::string text = number_text(x);
    double shown = x;
    std::from_chars(text.data(), text.data() + text.size(), shown);
    return shown;
}

std::vector<KeyValue> KeyLever::keys(std::int64_t candidate) const {
    return {{key, value(candidate)}};
}

KeyLever key_lever(const ScenarioKey& row, const KeyLeverRequest& request,
                   std::optional<double> current) {
    const std::string& key = request.key;
    if (row.type != KeyType::number && row.type != KeyType::integer)
        throw std::invalid_argument(key + " (" + std::string(key_type_text(row)) +
                                    ") is not a number: only numbers and whole numbers can be "
                                    "goal-sought");
    if (!row.variable)
        throw std::invalid_argument(key +
                                    " cannot be varied (ulcsim keys --variable lists the keys "
                                    "that can)");
    const bool integer = row.type == KeyType::integer;
    const std::string range = key_range_text(row);
    const auto check_given = [&](const char* option, std::optional<double> given) {
        if (!given) return;
        if (!std::isfinite(*given))
            throw std::invalid_argument(std::string(option) + " " + number_text(*given) +
                                        ": not a finite number");
        if (integer && !whole(*given))
            throw std::invalid_argument(std::string(option) + " " + number_text(*given) + ": " +
                                        key + " is a whole number");
        const bool below = row.lower_open ? *given <= row.lower : *given < row.lower;
        if (below || *given > row.upper)
            throw std::invalid_argument(std::string(option) + " " + number_text(*given) +
                                        ": outside the range of " + key + " (" + range + ")");
    };
    check_given("--lowest", request.lowest);
    check_given("--highest", request.highest);
    if (request.lowest && request.highest && *request.lowest > *request.highest)
        throw std::invalid_argument("--lowest " + number_text(*request.lowest) +
                                    " is above --highest " + number_text(*request.highest));

    if (!request.lowest && !std::isfinite(row.lower))
        throw std::invalid_argument(key + " has no lower bound in the key table: give --lowest");
    // An integer's infinite upper bound stands for 2⁶³ − 1, which no search should walk to.
    if (!request.highest && (!std::isfinite(row.upper) || (integer && row.upper > whole_max)))
        throw std::invalid_argument(key + " has no upper bound in the key table: give --highest");

    KeyLever lever;
    lever.key = key;
    lever.type = row.type;
    lever.direction = request.direction;
    lever.highest = request.highest.value_or(row.upper);
    if (request.step) {
        if (!(*request.step > 0) || !std::isfinite(*request.step))
            throw std::invalid_argument("--step " + number_text(*request.step) +
                                        ": must be above 0");
        if (integer && !whole(*request.step))
            throw std::invalid_argument("--step " + number_text(*request.step) + ": " + key +
                                        " is a whole number, so the step must be too");
        lever.step = *request.step;
    } else if (integer) {
        lever.step = 1;
    } else if ((request.lowest && request.highest) || row.quantity == Quantity::share ||
               row.quantity == Quantity::probability) {
        // A hundred candidates over a range the caller chose, or over a share's whole range.
        const double low = request.lowest.value_or(row.lower);
        lever.step = (lever.highest - low) / 100;
        if (!(lever.step > 0))
            throw std::invalid_argument("--step is required for " + key +
                                        " when --lowest equals --highest");
    } else {
        throw std::invalid_argument("--step is required for " + key + " (a real number in " +
                                    range + "): give the resolution to search at");
    }
    // An open lower bound cannot itself be a value: start one step above it.
    lever.lowest =
        request.lowest ? *request.lowest : (row.lower_open ? row.lower + lever.step : row.lower);
    if (lever.lowest > lever.highest)
        throw std::invalid_argument((request.lowest ? "--lowest " : "the lowest value ") +
                                    number_text(lever.lowest) + " is above " +
                                    (request.highest ? "--highest " : "the highest value ") +
                                    number_text(lever.highest));
    // Whole steps that fit, with room for the rounding of a range that a step divides.
    const double steps = std::floor((lever.highest - lever.lowest) / lever.step * (1 + 1e-12));
    if (steps + 1 > static_cast<double>(key_lever_most_candidates))
        throw std::invalid_argument("--step " + number_text(lever.step) + ": " +
                                    number_text(steps + 1) + " candidates between " +
                                    number_text(lever.lowest) + " and " +
                                    number_text(lever.highest) + ", more than the " +
                                    std::to_string(key_lever_most_candidates) +
                                    " allowed: give a larger step or a narrower range");
    lever.count = static_cast<std::int64_t>(steps) + 1;
    if (current) {
        const double at = std::round((*current - lever.lowest) / lever.step);
        lever.start =
            static_cast<std::int64_t>(std::clamp(at, 0.0, static_cast<double>(lever.count - 1)));
    } else {
        // Nothing given: the search starts at the end it tries first.
        lever.start = request.direction == SeekDirection::up ? 0 : lever.count - 1;
    }
    return lever;
}

KeyLever key_lever(const Scenario& scenario, const KeyLeverRequest& request) {
    const ScenarioKey* row = find_scenario_key(request.key);
    if (!row) {
        const auto unknown = unknown_scenario_key(request.key);
        throw std::invalid_argument(unknown ? unknown->key + ": " + unknown->message
                                            : request.key + ": unknown key");
    }
    // What the key is matters before where it is: a key of the wrong kind is refused as such
    // even when the scenario lacks its entry.
    key_lever(*row, request, std::nullopt);
    KeyLeverRequest resolved = request;
    resolved.key = resolve_key(scenario, request.key);
    return key_lever(*row, resolved, scenario_number(scenario, resolved.key));
}

} // namespace ulcsim
