# vra-config: IBM side of every link: ibmcloud CLI commands, run with sh after ibmcloud login
# plan: vra-ha-tgw-redundant.yaml
# The router end of each link is `vra-config render`; review both before use.
set -eu
: "${transit_gateway_id:?set transit_gateway_id to the Transit Gateway ID}"

# tgw-dal-1: Transit Gateway GRE to router vra-ha (PowerVS dal10-per); the router peers with local ASN 64490
ibmcloud tg connection-create-gre "$transit_gateway_id" --name tgw-dal-1 --network-type unbound_gre_tunnel --base-network-type classic --zone us-south-1 --local-gateway-ip 192.168.255.1 --local-tunnel-ip 172.16.10.1 --remote-gateway-ip 10.186.22.10 --remote-tunnel-ip 172.16.10.2 --remote-bgp-asn 64880

# tgw-dal-2: Transit Gateway GRE to router vra-ha (PowerVS dal10-per); the router peers with local ASN 64491
ibmcloud tg connection-create-gre "$transit_gateway_id" --name tgw-dal-2 --network-type unbound_gre_tunnel --base-network-type classic --zone us-south-2 --local-gateway-ip 192.168.255.5 --local-tunnel-ip 172.16.10.5 --remote-gateway-ip 10.186.22.10 --remote-tunnel-ip 172.16.10.6 --remote-bgp-asn 64880
