# vra-config: IBM side of every link: ibmcloud CLI commands, run with sh after ibmcloud login
# plan: powervs-tgw-gre.yaml
# The router end of each link is `vra-config render`; review both before use.
set -eu
: "${transit_gateway_id:?set transit_gateway_id to the Transit Gateway ID}"
: "${wdc06_per_workspace_crn:?set wdc06_per_workspace_crn to the CRN of PowerVS workspace wdc06-per}"

# tgw-wdc06: Transit Gateway GRE to router vra-wdc06 (PowerVS wdc06-per); the router peers with local ASN 64490
ibmcloud tg connection-gre-create "$transit_gateway_id" --name tgw-wdc06 --network-type unbound_gre_tunnel --base-network-type classic --zone us-east-1 --local-gateway-ip 192.168.255.1 --local-tunnel-ip 172.16.10.1 --remote-gateway-ip 10.186.22.10 --remote-tunnel-ip 172.16.10.2 --remote-bgp-asn 64880

# IBM assigns each GRE's Local BGP ASN at creation: `ibmcloud tg connections "$transit_gateway_id" --output json` shows it (local_bgp_asn); put it in the plan (transit_gateway.asn), then render the router

# PowerVS workspace wdc06-per reaches the Transit Gateway through its own connection; set wdc06_per_attach=false if it is attached already
[ "${wdc06_per_attach:-true}" = false ] || ibmcloud tg connection-create "$transit_gateway_id" --name wdc06-per-powervs --network-type power_virtual_server --network-id "$wdc06_per_workspace_crn"
