# vra-config: IBM side of every link: Terraform for the IBM-Cloud/ibm provider, a module
# plan: vsrx-cluster-gre.yaml
# The router end of each link is `vra-config render`; review both before use.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    ibm = {
      source  = "IBM-Cloud/ibm"
      version = ">= 1.71.2"
      # Power resources need a provider whose zone is the workspace's location.
      configuration_aliases = [ibm.dal12]
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

variable "dal12_prod_workspace_id" {
  type        = string
  description = "GUID of PowerVS workspace dal12-prod (dal12): pi_cloud_instance_id, `ibmcloud pi workspace list`"
}

variable "dal12_prod_network_ids" {
  type        = list(string)
  description = "IDs of the PowerVS networks of dal12-prod to route over GRE (the plan's subnets 192.168.50.0/24); IBM needs at least one for GRE"
  validation {
    condition     = length(var.dal12_prod_network_ids) > 0
    error_message = "A cloud connection with GRE needs at least one PowerVS network."
  }
}

variable "cc_dal12_speed" {
  type        = number
  description = "Speed of cloud connection cc-dal12 in Mbps, at most 5000 with GRE; set speed in the plan to fix it there"
  validation {
    condition     = contains([50, 100, 200, 500, 1000, 2000, 5000], var.cc_dal12_speed)
    error_message = "GRE runs at 50, 100, 200, 500, 1000, 2000, 5000 Mbps (not 10000)."
  }
}

# tgw-dal10: Transit Gateway GRE to router vsrx-dal (PowerVS dal10-per); the router peers with local ASN 64490
resource "ibm_tg_connection" "tgw_dal10" {
  gateway           = var.transit_gateway_id
  name              = "tgw-dal10"
  network_type      = "unbound_gre_tunnel"
  base_network_type = "classic"
  zone              = "us-south-1"
  local_gateway_ip  = "192.168.255.1"
  local_tunnel_ip   = "172.16.3.9"
  remote_gateway_ip = "10.186.30.10"
  remote_tunnel_ip  = "172.16.3.10"
  remote_bgp_asn    = 64880
}

output "tgw_dal10" {
  description = "Transit Gateway GRE tgw-dal10"
  value = {
    connection_id = ibm_tg_connection.tgw_dal10.connection_id
    status        = ibm_tg_connection.tgw_dal10.status
    # IBM assigns the Local BGP ASN at creation: this command shows it (local_bgp_asn);
    # put it in the plan (transit_gateway.asn), then render the router
    read_local_bgp_asn = "ibmcloud tg connection ${var.transit_gateway_id} ${ibm_tg_connection.tgw_dal10.connection_id} --output json"
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

# cc-dal12: cloud connection GRE to router vsrx-dal (PowerVS dal12-prod, dal12)
resource "ibm_pi_cloud_connection" "cc_dal12" {
  provider                                    = ibm.dal12
  pi_cloud_instance_id                        = var.dal12_prod_workspace_id
  pi_cloud_connection_name                    = "cc-dal12"
  pi_cloud_connection_speed                   = var.cc_dal12_speed
  pi_cloud_connection_networks                = var.dal12_prod_network_ids
  pi_cloud_connection_classic_enabled         = true
  pi_cloud_connection_gre_cidr                = "172.16.3.0/29"
  pi_cloud_connection_gre_destination_address = "10.186.30.10"
}

output "cc_dal12" {
  description = "Cloud connection cc-dal12"
  value = {
    cloud_connection_id = ibm_pi_cloud_connection.cc_dal12.cloud_connection_id
    status              = ibm_pi_cloud_connection.cc_dal12.status
    gre_source_address  = ibm_pi_cloud_connection.cc_dal12.gre_source_address
  }
}

check "cc_dal12_gre_source" {
  assert {
    condition     = ibm_pi_cloud_connection.cc_dal12.gre_source_address == "172.16.3.1"
    error_message = "IBM assigned a GRE source other than 172.16.3.1, the address router vsrx-dal sends the tunnel to; set the router's remote-ip to gre_source_address, or recreate the connection"
  }
}
