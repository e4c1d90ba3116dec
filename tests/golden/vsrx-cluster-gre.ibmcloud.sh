# vra-config: IBM side of every link: ibmcloud CLI commands, run with sh after ibmcloud login
# plan: vsrx-cluster-gre.yaml
# The router end of each link is `vra-config render`; review both before use.
set -eu
: "${transit_gateway_id:?set transit_gateway_id to the Transit Gateway ID}"
: "${dal12_prod_workspace_crn:?set dal12_prod_workspace_crn to the CRN of PowerVS workspace dal12-prod}"
: "${dal12_prod_network_ids:?set dal12_prod_network_ids to the IDs of the PowerVS networks of dal12-prod}"
: "${cc_dal12_speed:?set cc_dal12_speed to the speed of cc-dal12}"

# tgw-dal10: Transit Gateway GRE to router vsrx-dal (PowerVS dal10-per); the router peers with local ASN 64490
ibmcloud tg connection-create-gre "$transit_gateway_id" --name tgw-dal10 --network-type unbound_gre_tunnel --base-network-type classic --zone us-south-1 --local-gateway-ip 192.168.255.1 --local-tunnel-ip 172.16.3.9 --remote-gateway-ip 10.186.30.10 --remote-tunnel-ip 172.16.3.10 --remote-bgp-asn 64880

# cc-dal12: cloud connection GRE to router vsrx-dal (PowerVS dal12-prod, dal12); IBM's GRE source will be 172.16.3.1
ibmcloud pi workspace target "$dal12_prod_workspace_crn"
ibmcloud pi cloud-connection create cc-dal12 --speed "$cc_dal12_speed" --classic --subnets "$dal12_prod_network_ids" --gre-tunnel '172.16.3.0/29 10.186.30.10'
