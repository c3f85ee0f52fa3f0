// Validation of [[programme]]: its windows, budget and eligibility.

#include "scenario_builder.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace ulcsim::detail {

void ScenarioBuilder::read_programmes(bool have_regions) {
    std::set<std::string> names;
    for (TableReader& t : root_.array_of_tables("programme")) {
        FundingProgramme p;
        p.name = read_entry_name(t, names, "programme");
        if (!t.get("kind")) t.missing("kind");
        read_choice(t, "kind", programme_kind_names, p.kind);
        p.description = t.string("description").value_or("");
        p.source = t.string("source").value_or("");
        p.regions = read_region_list(t, "regions", have_regions);
        read_choice(t, "villages", village_scope_names, p.villages);
        read_number(t, "premium_idr_per_month", p.premium_idr_per_month);
        if (const auto v = t.integer("quota_workers")) p.quota_workers = v;
        if (const auto v = t.integer("sponsors")) p.sponsors = v;
        if (const auto v = t.integer("workers_per_sponsor")) p.workers_per_sponsor = v;
        if (const auto v = t.integer("outreach_per_month")) p.outreach_per_month = v;
        if (const auto v = t.integer("quota_per_village")) p.quota_per_village = v;
        read_number(t, "acceptance", p.acceptance);
        read_number(t, "fear_acceptance_factor", p.fear_acceptance_factor);
        read_number(t, "b_accept_income", p.b_accept_income);
        read_number(t, "b_accept_aware", p.b_accept_aware);
        read_number(t, "b_accept_member_share", p.b_accept_member_share);
        read_choice(t, "registration", offer_registration_names, p.registration);
        read_choice(t, "targeting", targeting_names, p.targeting);
        read_into(p.renewal, t.boolean("renewal"));
        p.continue_after_subsidy = s_.behaviour.continue_after_subsidy;
        read_number(t, "continue_after_subsidy", p.continue_after_subsidy);
        read_number(t, "member_lapse_per_month", p.member_lapse_per_month);
        read_number(t, "member_share", p.member_share);
        if (const auto v = t.integer("months_per_member")) {
            p.months_per_member = static_cast<int>(*v);
            // Members are funded from their own enrolment: nobody is carried from one
            // window into the next, and a budget, committed per window, cannot follow them.
            if (t.boolean("renewal").value_or(false))
                t.error("renewal", "a programme with months_per_member does not renew its "
                                   "members; set renewal = false or drop months_per_member");
            p.renewal = false;
            if (t.get("budget_idr_per_year"))
                t.error("budget_idr_per_year",
                        "a budget per year cannot be combined with months_per_member yet: "
                        "limit the programme by quota_workers or outreach_per_month");
        }

        if (t.get("sponsors") != nullptr && t.get("workers_per_sponsor") == nullptr)
            t.error("sponsors", "needs workers_per_sponsor too");
        if (t.get("workers_per_sponsor") != nullptr && t.get("sponsors") == nullptr)
            t.error("workers_per_sponsor", "needs sponsors too");
        if (p.sponsors && p.workers_per_sponsor) {
            if (t.get("quota_workers"))
                t.error("quota_workers",
                        "give either quota_workers or sponsors × workers_per_sponsor, not both");
            p.quota_workers = *p.sponsors * *p.workers_per_sponsor;
        }

        read_windows(t, p);
        read_budget(t, p);
        // Who is offered first matters only when more are eligible than the programme can take.
        const bool limited =
            p.quota_workers || p.outreach_per_month || p.quota_per_village ||
            !p.budget_idr_per_year.empty() || t.get("budget_idr_per_year") ||
            std::any_of(p.windows.begin(), p.windows.end(),
                        [](const CoverageWindow& w) { return w.quota_workers.has_value(); });
        const toml::node* targeting = t.get("targeting");
        if (targeting && targeting->as_string() &&
            index_of(targeting_names, targeting->as_string()->get()) && !limited)
            t.error("targeting",
                    "decides who is offered first when more are eligible than the programme can "
                    "take, but nothing limits it (no quota_workers, sponsors, outreach_per_month, "
                    "quota_per_village, window quota or budget), so the line does nothing: give "
                    "a limit or delete it");
        read_eligibility(t, p.eligibility);
        t.finish();
        s_.programmes.push_back(std::move(p));
    }
}

void ScenarioBuilder::read_windows(TableReader& t, FundingProgramme& p) {
    std::vector<TableReader> windows = t.array_of_tables("window");
    if (windows.empty() && !t.get("window")) t.missing("window");
    if (const toml::node* list = t.get("window");
        list && list->as_array() && list->as_array()->empty())
        t.error("window", "lists no window: a programme funds nothing without one");
    std::optional<Month> previous_end;
    for (TableReader& w : windows) {
        const auto start = w.month("start");
        const auto end = w.month("end");
        if (!w.get("start")) w.missing("start");
        if (!w.get("end")) w.missing("end");
        std::optional<std::int64_t> quota;
        if (const auto v = w.integer("quota_workers")) quota = v;
        w.finish();
        if (!start || !end) continue;
        if (*end < *start) {
            w.error("end", "window ends before it starts (start " + start->to_string() + ", end " +
                               end->to_string() + ")");
            continue;
        }
        if (previous_end && *start <= *previous_end)
            w.error("start", "window starting " + start->to_string() +
                                 " overlaps or precedes the previous window (ends " +
                                 previous_end->to_string() + ")");
        previous_end = *end;
        p.windows.push_back({*start, *end, quota});
    }
}

void ScenarioBuilder::read_budget(TableReader& t, FundingProgramme& p) {
    TableReader budget = t.table("budget_idr_per_year");
    for (std::string_view key : budget.keys()) {
        int year = 0;
        const auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), year);
        const auto amount = budget.number(key);
        if (ec != std::errc() || ptr != key.data() + key.size() || year < 2000 || year > 2100) {
            budget.error(key, "'" + std::string(key) + "' is not a year (2000 … 2100)");
            continue;
        }
        const bool funded = std::any_of(p.windows.begin(), p.windows.end(), [&](auto& w) {
            return w.start.year() <= year && year <= w.end.year();
        });
        if (!funded && !p.windows.empty())
            budget.error(key, "no window of this programme has a month in " + std::to_string(year));
        if (amount) p.budget_idr_per_year[year] = *amount;
    }
    budget.finish();
}

void ScenarioBuilder::read_eligibility(TableReader& t, Eligibility& e) {
    TableReader r = t.table("eligibility");
    read_name_set(r, "segments", segment_names, e.segments);
    read_name_set(r, "occupations", occupation_names, e.occupations);
    read_int(r, "max_income_band", e.max_income_band);
    read_int(r, "min_age_years", e.min_age_years);
    read_int(r, "max_age_years", e.max_age_years);
    if (e.max_age_years < e.min_age_years)
        r.error("max_age_years",
                "is below min_age_years (" + std::to_string(e.min_age_years) + ")");
    r.finish();
}

} // namespace ulcsim::detail
