# vra-config: IBM side of every link: Terraform for the IBM-Cloud/ibm provider, a module
# plan: vra-ha-tgw-redundant.yaml
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

variable "dal10_per_workspace_crn" {
  type        = string
  description = "CRN of PowerVS workspace dal10-per (`ibmcloud pi workspace list`), for its own connection to the Transit Gateway"
}

variable "dal10_per_attach" {
  type        = bool
  default     = true
  description = "Create the Transit Gateway's connection to PowerVS workspace dal10-per; false when the workspace is attached to the gateway already (the GRE reaches it only through that attachment)"
}

# tgw-dal: Transit Gateway GRE to router vra-ha (PowerVS dal10-per); the router peers with local ASN 64490 (us-south-1), 64491 (us-south-2)
resource "ibm_tg_connection" "tgw_dal" {
  gateway           = var.transit_gateway_id
  name              = "tgw-dal"
  network_type      = "redundant_gre"
  base_network_type = "classic"
  tunnels {
    name              = "tgw-dal-1"
    zone              = "us-south-1"
    local_gateway_ip  = "192.168.255.1"
    local_tunnel_ip   = "172.16.10.1"
    remote_gateway_ip = "10.186.22.10"
    remote_tunnel_ip  = "172.16.10.2"
    remote_bgp_asn    = 64880
  }
  tunnels {
    name              = "tgw-dal-2"
    zone              = "us-south-2"
    local_gateway_ip  = "192.168.255.5"
    local_tunnel_ip   = "172.16.10.5"
    remote_gateway_ip = "10.186.22.10"
    remote_tunnel_ip  = "172.16.10.6"
    remote_bgp_asn    = 64880
  }
}

output "tgw_dal" {
  description = "Transit Gateway GRE tgw-dal"
  value = {
    connection_id = ibm_tg_connection.tgw_dal.connection_id
    status        = ibm_tg_connection.tgw_dal.status
    # IBM assigns the Local BGP ASN at creation: this command shows it (local_bgp_asn);
    # put it in the plan (transit_gateway.asn), then render the router
    read_local_bgp_asn = "ibmcloud tg tunnels ${var.transit_gateway_id} ${ibm_tg_connection.tgw_dal.connection_id} --output json"
  }
}

# PowerVS workspace dal10-per reaches the Transit Gateway through its own connection; it must exist for the GRE to reach the workspace
resource "ibm_tg_connection" "dal10_per_powervs" {
  count        = var.dal10_per_attach ? 1 : 0
  gateway      = var.transit_gateway_id
  name         = "dal10-per-powervs"
  network_type = "power_virtual_server"
  network_id   = var.dal10_per_workspace_crn
}
