#pragma once
/// \file
/// Calendar months. Funding windows, budgets and observations are all stated in calendar
/// months ("2024-07"), so the model's clock is a month, not a day.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace ulcsim {

/// A calendar month, stored as months since January of year 0 so that differences and
/// ordering are plain integer arithmetic.
class Month {
public:
    constexpr Month() = default;
    constexpr Month(int year, int month_of_year) : index_(year * 12 + (month_of_year - 1)) {}

    /// Parses exactly "YYYY-MM" (four-digit year, two-digit month 01..12).
    static std::optional<Month> parse(std::string_view text);
    static constexpr Month from_index(int index) {
        Month m;
        m.index_ = index;
        return m;
    }

    constexpr int year() const { return index_ / 12; }
    constexpr int month_of_year() const { return index_ % 12 + 1; }
    constexpr int index() const { return index_; }
    std::string to_string() const;

    constexpr Month operator+(int months) const { return from_index(index_ + months); }
    constexpr int operator-(Month other) const { return index_ - other.index_; }
    constexpr auto operator<=>(const Month&) const = default;

private:
    int index_ = 0;
};

} // namespace ulcsim
