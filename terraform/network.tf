# Network: a private subnet for the functions (out through NAT to the target APIs and through the
# service gateway to OCI services, never reachable from the internet) and a public subnet that holds
# only the API gateway. Security lists open exactly those flows.

data "oci_core_services" "all_services" {
  filter {
    name   = "name"
    values = ["All .* Services In Oracle Services Network"]
    regex  = true
  }
}

locals {
  all_services_id   = data.oci_core_services.all_services.services[0].id
  all_services_cidr = data.oci_core_services.all_services.services[0].cidr_block
}

resource "oci_core_vcn" "datasync" {
  compartment_id = var.compartment_ocid
  cidr_blocks    = [var.vcn_cidr]
  display_name   = "DataSyncVcn"
  dns_label      = "datasync"
  freeform_tags  = var.freeform_tags
}

resource "oci_core_internet_gateway" "datasync" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.datasync.id
  display_name   = "DataSyncInternetGateway"
  enabled        = true
  freeform_tags  = var.freeform_tags
}

resource "oci_core_nat_gateway" "datasync" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.datasync.id
  display_name   = "DataSyncNatGateway"
  freeform_tags  = var.freeform_tags
}

resource "oci_core_service_gateway" "datasync" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.datasync.id
  display_name   = "DataSyncServiceGateway"
  freeform_tags  = var.freeform_tags

  services {
    service_id = local.all_services_id
  }
}

resource "oci_core_route_table" "functions" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.datasync.id
  display_name   = "DataSyncFunctionsRoutes"
  freeform_tags  = var.freeform_tags

  # OCI services (Streaming, Vault, Secrets, Object Storage, Functions) stay on Oracle's network.
  route_rules {
    destination       = local.all_services_cidr
    destination_type  = "SERVICE_CIDR_BLOCK"
    network_entity_id = oci_core_service_gateway.datasync.id
    description       = "OCI services through the service gateway"
  }

  # Target REST APIs on the internet: outbound only.
  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_nat_gateway.datasync.id
    description       = "Target REST APIs through NAT"
  }
}

resource "oci_core_route_table" "gateway" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.datasync.id
  display_name   = "DataSyncGatewayRoutes"
  freeform_tags  = var.freeform_tags

  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_internet_gateway.datasync.id
    description       = "Clients of the public API gateway"
  }
}

resource "oci_core_security_list" "functions" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.datasync.id
  display_name   = "DataSyncFunctionsSecurityList"
  freeform_tags  = var.freeform_tags

  # Only the stream pool's private endpoint (when enabled) listens in this subnet, on 443, for the functions.
  dynamic "ingress_security_rules" {
    for_each = var.stream_pool_private_endpoint ? [var.functions_subnet_cidr] : []
    content {
      protocol    = "6"
      source      = ingress_security_rules.value
      source_type = "CIDR_BLOCK"
      description = "Functions to the stream pool private endpoint"
      tcp_options {
        min = 443
        max = 443
      }
    }
  }

  egress_security_rules {
    protocol         = "6"
    destination      = local.all_services_cidr
    destination_type = "SERVICE_CIDR_BLOCK"
    description      = "OCI service APIs over HTTPS"
    tcp_options {
      min = 443
      max = 443
    }
  }

  dynamic "egress_security_rules" {
    for_each = var.stream_pool_private_endpoint ? [var.functions_subnet_cidr] : []
    content {
      protocol         = "6"
      destination      = egress_security_rules.value
      destination_type = "CIDR_BLOCK"
      description      = "Stream pool private endpoint"
      tcp_options {
        min = 443
        max = 443
      }
    }
  }

  dynamic "egress_security_rules" {
    for_each = toset(var.target_egress_tcp_ports)
    content {
      protocol         = "6"
      destination      = "0.0.0.0/0"
      destination_type = "CIDR_BLOCK"
      description      = "Target REST APIs"
      tcp_options {
        min = egress_security_rules.value
        max = egress_security_rules.value
      }
    }
  }
}

resource "oci_core_security_list" "gateway" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.datasync.id
  display_name   = "DataSyncGatewaySecurityList"
  freeform_tags  = var.freeform_tags

  dynamic "ingress_security_rules" {
    for_each = toset(var.api_client_cidrs)
    content {
      protocol    = "6"
      source      = ingress_security_rules.value
      source_type = "CIDR_BLOCK"
      description = "HTTPS clients of /stream/sync and /stream/retry"
      tcp_options {
        min = 443
        max = 443
      }
    }
  }

  # The gateway calls the Functions service endpoint over HTTPS.
  egress_security_rules {
    protocol         = "6"
    destination      = "0.0.0.0/0"
    destination_type = "CIDR_BLOCK"
    description      = "Functions invoke endpoint"
    tcp_options {
      min = 443
      max = 443
    }
  }
}

resource "oci_core_subnet" "functions" {
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.datasync.id
  cidr_block                 = var.functions_subnet_cidr
  display_name               = "DataSyncFunctionsSubnet"
  dns_label                  = "functions"
  prohibit_public_ip_on_vnic = true
  route_table_id             = oci_core_route_table.functions.id
  security_list_ids          = [oci_core_security_list.functions.id]
  freeform_tags              = var.freeform_tags
}

resource "oci_core_subnet" "gateway" {
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.datasync.id
  cidr_block                 = var.gateway_subnet_cidr
  display_name               = "DataSyncGatewaySubnet"
  dns_label                  = "gateway"
  prohibit_public_ip_on_vnic = false
  route_table_id             = oci_core_route_table.gateway.id
  security_list_ids          = [oci_core_security_list.gateway.id]
  freeform_tags              = var.freeform_tags
}
