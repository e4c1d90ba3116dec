# vra-config: IBM side of every link: ibmcloud CLI commands, run with sh after ibmcloud login
# plan: vra-ha-tgw-redundant.yaml
# The router end of each link is `vra-config render`; review both before use.
set -eu
: "${transit_gateway_id:?set transit_gateway_id to the Transit Gateway ID}"
: "${dal10_per_workspace_crn:?set dal10_per_workspace_crn to the CRN of PowerVS workspace dal10-per}"

# tgw-dal: redundant Transit Gateway GRE to router vra-ha (PowerVS dal10-per), tunnels tgw-dal-1, tgw-dal-2; the router peers with local ASN 64490 (us-south-1), 64491 (us-south-2)
printf '%s%s%s\n' '{"gateway_id": "' "$transit_gateway_id" '", "name": "tgw-dal", "network_type": "redundant_gre", "base_network_type": "classic", "tunnels": [{"local_gateway_ip": "192.168.255.1", "local_tunnel_ip": "172.16.10.1", "name": "tgw-dal-1", "remote_bgp_asn": 64880, "remote_gateway_ip": "10.186.22.10", "remote_tunnel_ip": "172.16.10.2", "zone": {"name": "us-south-1"}}, {"local_gateway_ip": "192.168.255.5", "local_tunnel_ip": "172.16.10.5", "name": "tgw-dal-2", "remote_bgp_asn": 64880, "remote_gateway_ip": "10.186.22.10", "remote_tunnel_ip": "172.16.10.6", "zone": {"name": "us-south-2"}}]}' > tgw_dal.rgre.json
ibmcloud tg connection-rgre-create --file tgw_dal.rgre.json

# IBM assigns each GRE's Local BGP ASN at creation: `ibmcloud tg connections "$transit_gateway_id" --output json` shows it (local_bgp_asn); put it in the plan (transit_gateway.asn), then render the router

# PowerVS workspace dal10-per reaches the Transit Gateway through its own connection; set dal10_per_attach=false if it is attached already
[ "${dal10_per_attach:-true}" = false ] || ibmcloud tg connection-create "$transit_gateway_id" --name dal10-per-powervs --network-type power_virtual_server --network-id "$dal10_per_workspace_crn"
