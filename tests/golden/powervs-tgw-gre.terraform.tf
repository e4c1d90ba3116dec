# vra-config: IBM side of every link: Terraform for the IBM-Cloud/ibm provider, a module
# plan: powervs-tgw-gre.yaml
# The router end of each link is `vra-config render`; review both before use.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    ibm = {
      source  = "IBM-Cloud/ibm"
      version = ">= 1.71.2"
    }
  }
}

variable "transit_gateway_id" {
  type        = string
  description = "ID of the Transit Gateway every transit-gateway connection of the plan attaches to (ibm_tg_gateway.<name>.id, or `ibmcloud tg gateways`)"
}

variable "wdc06_per_workspace_crn" {
  type        = string
  description = "CRN of PowerVS workspace wdc06-per (`ibmcloud pi workspace list`), for its own connection to the Transit Gateway"
}

variable "wdc06_per_attach" {
  type        = bool
  default     = true
  description = "Create the Transit Gateway's connection to PowerVS workspace wdc06-per; false when the workspace is attached to the gateway already (the GRE reaches it only through that attachment)"
}

# tgw-wdc06: Transit Gateway GRE to router vra-wdc06 (PowerVS wdc06-per); the router peers with local ASN 64490
resource "ibm_tg_connection" "tgw_wdc06" {
  gateway           = var.transit_gateway_id
  name              = "tgw-wdc06"
  network_type      = "unbound_gre_tunnel"
  base_network_type = "classic"
  zone              = "us-east-1"
  local_gateway_ip  = "192.168.255.1"
  local_tunnel_ip   = "172.16.10.1"
  remote_gateway_ip = "10.186.22.10"
  remote_tunnel_ip  = "172.16.10.2"
  remote_bgp_asn    = 64880
}

output "tgw_wdc06" {
  description = "Transit Gateway GRE tgw-wdc06"
  value = {
    connection_id = ibm_tg_connection.tgw_wdc06.connection_id
    status        = ibm_tg_connection.tgw_wdc06.status
    # IBM assigns the Local BGP ASN at creation: this command shows it (local_bgp_asn);
    # put it in the plan (transit_gateway.asn), then render the router
    read_local_bgp_asn = "ibmcloud tg connection ${var.transit_gateway_id} ${ibm_tg_connection.tgw_wdc06.connection_id} --output json"
  }
}

# PowerVS workspace wdc06-per reaches the Transit Gateway through its own connection; it must exist for the GRE to reach the workspace
resource "ibm_tg_connection" "wdc06_per_powervs" {
  count        = var.wdc06_per_attach ? 1 : 0
  gateway      = var.transit_gateway_id
  name         = "wdc06-per-powervs"
  network_type = "power_virtual_server"
  network_id   = var.wdc06_per_workspace_crn
}
