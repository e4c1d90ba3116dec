# vra-config: IBM side of every link: ibmcloud CLI commands, run with sh after ibmcloud login
# plan: private-ipsec.yaml
# The router end of each link is `vra-config render`; review both before use.
set -eu
: "${dal12_prod_workspace_crn:?set dal12_prod_workspace_crn to the CRN of PowerVS workspace dal12-prod}"
: "${dal12_prod_network_ids:?set dal12_prod_network_ids to the IDs of the PowerVS networks of dal12-prod, comma-separated (id1,id2)}"
: "${cc_dal12_speed:?set cc_dal12_speed to the speed of cc-dal12}"

# cc-dal12: cloud connection GRE to router vra-dal12 (PowerVS dal12-prod, dal12); IBM's GRE source will be 172.16.3.1
ibmcloud pi workspace target "$dal12_prod_workspace_crn"
ibmcloud pi cloud-connection create cc-dal12 --speed "$cc_dal12_speed" --classic --subnets "$dal12_prod_network_ids" --gre-tunnel '172.16.3.0/29 10.148.252.83'
