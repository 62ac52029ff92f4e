// The tests start silos and a Prometheus one at a time: on the project's two cores parallel silos slow each other
// down, and Orleans' instruments are process-wide (a static meter): while a second silo started and stopped in the
// same process, the first silo's orleans_* series were seen to vanish from its endpoint.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
