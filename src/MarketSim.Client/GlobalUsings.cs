global using MarketSim.Contracts;
global using MarketSim.Model;
global using MarketSim.Model.Engine;
global using MarketSim.Model.Scenarios;
global using Orleans;
