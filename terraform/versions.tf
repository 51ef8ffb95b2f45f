# Terraform and provider pins. The oracle/oci provider is pinned to its major version 8: the
# configuration is checked offline against the provider 8.x schema (deploy-tests), so a new
# major must be adopted deliberately, not picked up by `terraform init -upgrade`.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    oci = {
      source  = "oracle/oci"
      version = "~> 8.0"
    }
  }
}

# No credentials in files: the provider authenticates with what the environment offers
# (an API key profile in ~/.oci/config, Cloud Shell / instance principal, or a security token),
# chosen with var.oci_auth and var.oci_config_profile.
provider "oci" {
  region              = var.region
  auth                = var.oci_auth
  config_file_profile = var.oci_config_profile
}

# Identity resources (dynamic groups, policies) can only be written in the tenancy's home region.
provider "oci" {
  alias               = "home"
  region              = coalesce(var.home_region, var.region)
  auth                = var.oci_auth
  config_file_profile = var.oci_config_profile
}
