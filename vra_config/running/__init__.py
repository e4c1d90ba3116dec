"""A router's running configuration: read it (`config`), tell the plan's objects from the
rest (`ownership`), and derive what the planner must avoid (`inuse`) or the commands from
it to the plan's intent (`delta`)."""
