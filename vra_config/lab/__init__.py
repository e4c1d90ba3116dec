"""`vra-config lab`: run the plan's routing in FRR, one network namespace per device, and
compare what each device learned and forwarded with what the plan's routing model says.

Small modules with one job each:
- `topology`: the plan → nodes (devices, PowerVS and Transit Gateway stand-ins), wires and
  source networks, and the expected reachability (pure);
- `standins`: the FRR configuration of IBM's side (pure);
- `configs`: the frr.conf each node loads (pure; the golden files hold it);
- `netns`: namespaces, veth pairs and addresses (iproute2);
- `daemons`: FRR's zebra, staticd and bgpd per namespace, and vtysh queries;
- `probe`: ICMP echo from one address to others (run inside a namespace);
- `observe`: bounded waits for convergence, and what every device learned;
- `compare`: expected against observed: findings with their first cause (pure);
- `report`: text and JSON;
- `runner`: the order of it all, and teardown whatever happens.
"""
