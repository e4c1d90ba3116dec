# vra-config: IBM side of every link: Terraform for the IBM-Cloud/ibm provider, a module
# plan: direct-link-dc.yaml
# The router end of each link is `vra-config render`; review both before use.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    ibm = {
      source  = "IBM-Cloud/ibm"
      version = ">= 1.71.2"
      # Power resources need a provider whose zone is the workspace's location.
      configuration_aliases = [ibm.dal10]
    }
  }
}

variable "dal10_prod_workspace_id" {
  type        = string
  description = "GUID of PowerVS workspace dal10-prod (dal10): pi_cloud_instance_id, `ibmcloud pi workspace list`"
}

variable "dal10_prod_network_ids" {
  type        = list(string)
  description = "IDs of the PowerVS networks of dal10-prod to route over GRE (the plan's subnets 192.168.70.0/24); IBM needs at least one for GRE"
  validation {
    condition     = length(var.dal10_prod_network_ids) > 0
    error_message = "A cloud connection with GRE needs at least one PowerVS network."
  }
}

variable "cc_dal10_speed" {
  type        = number
  description = "Speed of cloud connection cc-dal10 in Mbps, at most 5000 with GRE; set speed in the plan to fix it there"
  validation {
    condition     = contains([50, 100, 200, 500, 1000, 2000, 5000], var.cc_dal10_speed)
    error_message = "GRE runs at 50, 100, 200, 500, 1000, 2000, 5000 Mbps (not 10000)."
  }
}

# cc-dal10: cloud connection GRE to router vra-dal10 (PowerVS dal10-prod, dal10)
resource "ibm_pi_cloud_connection" "cc_dal10" {
  provider                                    = ibm.dal10
  pi_cloud_instance_id                        = var.dal10_prod_workspace_id
  pi_cloud_connection_name                    = "cc-dal10"
  pi_cloud_connection_speed                   = var.cc_dal10_speed
  pi_cloud_connection_networks                = var.dal10_prod_network_ids
  pi_cloud_connection_classic_enabled         = true
  pi_cloud_connection_gre_cidr                = "172.16.20.0/29"
  pi_cloud_connection_gre_destination_address = "10.72.14.10"
}

output "cc_dal10" {
  description = "Cloud connection cc-dal10"
  value = {
    cloud_connection_id = ibm_pi_cloud_connection.cc_dal10.cloud_connection_id
    status              = ibm_pi_cloud_connection.cc_dal10.status
    gre_source_address  = ibm_pi_cloud_connection.cc_dal10.gre_source_address
  }
}

check "cc_dal10_gre_source" {
  assert {
    condition     = ibm_pi_cloud_connection.cc_dal10.gre_source_address == "172.16.20.1"
    error_message = "IBM assigned a GRE source other than 172.16.20.1, the address router vra-dal10 sends the tunnel to; set the router's remote-ip to gre_source_address, or recreate the connection"
  }
}
