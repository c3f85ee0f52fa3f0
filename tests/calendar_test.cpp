#include "ulcsim/calendar.hpp"

#include <gtest/gtest.h>

using ulcsim::Month;

TEST(Month, ParsesYearAndMonth) {
    const auto m = Month::parse("2024-07");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->year(), 2024);
    EXPECT_EQ(m->month_of_year(), 7);
    EXPECT_EQ(m->to_string(), "2024-07");
}

TEST(Month, RejectsEverythingButYYYYMM) {
    for (const char* bad : {"2024-7", "2024-13", "2024-00", "24-07", "2024/07", "2024-07-01", "",
                            "abcd-ef", " 2024-07", "2024-0a"})
        EXPECT_FALSE(Month::parse(bad)) << bad;
}

TEST(Month, ArithmeticCrossesYearBoundaries) {
    const Month july(2024, 7);
    EXPECT_EQ((july + 5).to_string(), "2024-12");
    EXPECT_EQ((july + 6).to_string(), "2025-01");
    EXPECT_EQ((july + 18) - july, 18);
    EXPECT_EQ(Month(2025, 1) - Month(2024, 12), 1);
    EXPECT_LT(Month(2024, 12), Month(2025, 1));
}

TEST(Month, RoundTripsEveryMonthOfACentury) {
    for (int i = Month(2000, 1).index(); i <= Month(2100, 12).index(); ++i) {
        const Month m = Month::from_index(i);
        const auto parsed = Month::parse(m.to_string());
        ASSERT_TRUE(parsed);
        EXPECT_EQ(*parsed, m);
    }
}
