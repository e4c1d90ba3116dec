"""`vra-config lab`: run the plan's routing in FRR, one network namespace per device, and
compare what each device learned and forwarded with what the plan's routing model says.

Small modules with one job each:
- `topology`: the plan → nodes (devices, PowerVS and Transit Gateway stand-ins), wires and
  source networks, and the expected reachability (pure);
- `standins`: the FRR configuration of IBM's side (pure);
- `configs`: the frr.conf each node loads (pure; the golden files hold it);
- `netns`: namespaces, point-to-point veth pairs, LANs with their probe hosts (iproute2);
- `daemons`: FRR's zebra, staticd and bgpd per namespace, and vtysh queries;
- `probe`: ICMP echo from one address to others (run inside a namespace);
- `observe`: bounded waits for convergence, and what every device learned;
- `compare`: expected against observed: findings with their first cause (pure);
- `rows`: those findings and causes as records with fields, each sentence built from them,
  and their JSON rows (pure);
- `report`: text and JSON;
- `runner`: the order of it all, and teardown whatever happens;
- `faults`: failures as they happen (silent far end, interface down, power-off) and healing;
- `timers`: the rendered BGP timers and the scaled ones a failure run uses (pure);
- `failures`: what the matrix fails and what must survive, from the routing model (pure);
- `settle`: bounded waits for a failure to be noticed and for the baseline to return;
- `paths`: which links carry a pair, traced through the routers' tables (pure);
- `production`: what a measured failure means with the rendered timers, as a record (pure);
- `matrix`: `lab --failures`, its verdict, text and JSON.

The failure model and how to read the matrix: docs/lab.md.
"""
