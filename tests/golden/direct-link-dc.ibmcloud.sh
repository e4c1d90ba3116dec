# vra-config: IBM side of every link: ibmcloud CLI commands, run with sh after ibmcloud login
# plan: direct-link-dc.yaml
# The router end of each link is `vra-config render`; review both before use.
set -eu
: "${dal10_prod_workspace_crn:?set dal10_prod_workspace_crn to the CRN of PowerVS workspace dal10-prod}"
: "${dal10_prod_network_ids:?set dal10_prod_network_ids to the IDs of the PowerVS networks of dal10-prod, comma-separated (id1,id2)}"
: "${cc_dal10_speed:?set cc_dal10_speed to the speed of cc-dal10}"

# cc-dal10: cloud connection GRE to router vra-dal10 (PowerVS dal10-prod, dal10); IBM's GRE source will be 172.16.20.1
ibmcloud pi workspace target "$dal10_prod_workspace_crn"
ibmcloud pi cloud-connection create cc-dal10 --speed "$cc_dal10_speed" --classic --subnets "$dal10_prod_network_ids" --gre-tunnel '172.16.20.0/29 10.72.14.10'
