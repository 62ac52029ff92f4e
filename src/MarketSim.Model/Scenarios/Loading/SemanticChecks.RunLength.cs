using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

internal sealed partial class SemanticChecks
{
    /// <summary>The run length limit (<see cref="RunBudget"/>): the horizon ends in the calendar, and the run's
    /// estimated memory and time fit the scenario's budget.</summary>
    private void CheckRunLength()
    {
        var defaults = new Scenario();
        var start = _root.ContainsKey("start") ? JsonText.Date(_root["start"]) : defaults.Start;
        var ticks = _root.ContainsKey("ticks") ? JsonText.Number(_root["ticks"]) : defaults.Ticks;
        var tickDays = _root.ContainsKey("tickDays") ? JsonText.Number(_root["tickDays"]) : defaults.TickDays;
        // Shapes the schema refuses were reported there.
        if (start is null || start < ScenarioLimits.FirstDate || start > ScenarioLimits.LastDate
            || ticks is not (>= 1 and <= RunBudget.MaxTicks) || ticks % 1 != 0 || tickDays is not (>= 1 and <= 365) || tickDays % 1 != 0)
        {
            return;
        }
        var pointer = _root.ContainsKey("ticks") ? "/ticks" : "";
        if (RunBudget.CalendarProblem(start.Value, (long)ticks, (long)tickDays) is { } calendar)
        {
            Add(pointer, calendar.Message, calendar.Hint);
            return;
        }
        var customers = JsonText.Find(_root, "/customers/count") is { } count ? JsonText.Number(count) : defaults.Customers.Count;
        var engine = JsonText.Find(_root, "/engine") as JsonObject;
        var hours = (engine is null ? null : Num(engine, "maxRunHours")) ?? defaults.Engine.MaxRunHours;
        var memory = (engine is null ? null : Num(engine, "maxMemoryGb")) ?? defaults.Engine.MaxMemoryGb;
        if (customers is not (>= 0) || hours <= 0 || memory <= 0)
        {
            return;
        }
        var estimate = new RunEstimate((long)ticks, (long)customers, AllProviders().Count());
        if (RunBudget.BudgetProblem(estimate, hours, memory) is { } budget) Add(pointer, budget.Message, budget.Hint);
    }
}
