global using MarketSim.Model.Scenarios;
global using MarketSim.Client;
