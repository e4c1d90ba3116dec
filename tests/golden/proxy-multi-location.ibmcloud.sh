# vra-config: IBM side of every link: ibmcloud CLI commands, run with sh after ibmcloud login
# plan: proxy-multi-location.yaml
# The router end of each link is `vra-config render`; review both before use.
set -eu
: "${dal12_prod_workspace_crn:?set dal12_prod_workspace_crn to the CRN of PowerVS workspace dal12-prod}"
: "${dal12_prod_network_ids:?set dal12_prod_network_ids to the IDs of the PowerVS networks of dal12-prod, comma-separated (id1,id2)}"
: "${wdc06_dr_workspace_crn:?set wdc06_dr_workspace_crn to the CRN of PowerVS workspace wdc06-dr}"
: "${wdc06_dr_network_ids:?set wdc06_dr_network_ids to the IDs of the PowerVS networks of wdc06-dr, comma-separated (id1,id2)}"
: "${cc_dal12_speed:?set cc_dal12_speed to the speed of cc-dal12}"
: "${cc_wdc06_speed:?set cc_wdc06_speed to the speed of cc-wdc06}"

# cc-dal12: cloud connection GRE to router gw-dal12 (PowerVS dal12-prod, dal12); IBM's GRE source will be 172.16.30.1
ibmcloud pi workspace target "$dal12_prod_workspace_crn"
ibmcloud pi cloud-connection create cc-dal12 --speed "$cc_dal12_speed" --classic --subnets "$dal12_prod_network_ids" --gre-tunnel '172.16.30.0/29 10.148.252.83'

# cc-wdc06: cloud connection GRE to router gw-wdc06 (PowerVS wdc06-dr, wdc06); IBM's GRE source will be 172.16.30.9
ibmcloud pi workspace target "$wdc06_dr_workspace_crn"
ibmcloud pi cloud-connection create cc-wdc06 --speed "$cc_wdc06_speed" --classic --subnets "$wdc06_dr_network_ids" --gre-tunnel '172.16.30.8/29 10.186.22.10'
