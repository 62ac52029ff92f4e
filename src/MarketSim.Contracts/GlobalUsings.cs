global using Orleans;
global using MarketSim.Model;
global using MarketSim.Model.Engine;
