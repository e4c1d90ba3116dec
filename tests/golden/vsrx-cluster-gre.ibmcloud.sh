# vra-config: IBM side of every link: ibmcloud CLI commands, run with sh after ibmcloud login
# plan: vsrx-cluster-gre.yaml
# The router end of each link is `vra-config render`; review both before use.
set -eu
: "${transit_gateway_id:?set transit_gateway_id to the Transit Gateway ID}"
: "${dal10_per_workspace_crn:?set dal10_per_workspace_crn to the CRN of PowerVS workspace dal10-per}"
: "${dal12_prod_workspace_crn:?set dal12_prod_workspace_crn to the CRN of PowerVS workspace dal12-prod}"
: "${dal12_prod_network_ids:?set dal12_prod_network_ids to the IDs of the PowerVS networks of dal12-prod, comma-separated (id1,id2)}"
: "${cc_dal12_speed:?set cc_dal12_speed to the speed of cc-dal12}"

# tgw-dal10: Transit Gateway GRE to router vsrx-dal (PowerVS dal10-per); the router peers with local ASN 64490
ibmcloud tg connection-gre-create "$transit_gateway_id" --name tgw-dal10 --network-type unbound_gre_tunnel --base-network-type classic --zone us-south-1 --local-gateway-ip 192.168.255.1 --local-tunnel-ip 172.16.3.9 --remote-gateway-ip 10.186.30.10 --remote-tunnel-ip 172.16.3.10 --remote-bgp-asn 64880

# IBM assigns each GRE's Local BGP ASN at creation: `ibmcloud tg connections "$transit_gateway_id" --output json` shows it (local_bgp_asn); put it in the plan (transit_gateway.asn), then render the router

# PowerVS workspace dal10-per reaches the Transit Gateway through its own connection; set dal10_per_attach=false if it is attached already
[ "${dal10_per_attach:-true}" = false ] || ibmcloud tg connection-create "$transit_gateway_id" --name dal10-per-powervs --network-type power_virtual_server --network-id "$dal10_per_workspace_crn"

# cc-dal12: cloud connection GRE to router vsrx-dal (PowerVS dal12-prod, dal12); IBM's GRE source will be 172.16.3.1
ibmcloud pi workspace target "$dal12_prod_workspace_crn"
ibmcloud pi cloud-connection create cc-dal12 --speed "$cc_dal12_speed" --classic --subnets "$dal12_prod_network_ids" --gre-tunnel '172.16.3.0/29 10.186.30.10'
