global using MarketSim.Model.Scenarios;
