# The source applications of var.sources: what each may do, in the two places that enforce it.
# - sources/<id>.json in the state bucket: the source's target allow-list (inside var.target_allowlist) and its cap
#   on live token secrets, and whether its deliveries are signed, which the functions read (names as the functions
#   expect them: id, allowlist, ratePerSecond, maxSecrets, signing; the signing secret itself, sign.<id>, is created
#   in the vault as docs/signing.md says, never by Terraform: it would sit in the state file).
# - An API Gateway usage plan per source with the source's rate on the sync deployment, and a subscriber whose one
#   client token is the source id: the sync deployment finds the token in the verified credential
#   (usage_plans.token_locations = request.auth[<source_id_claim>]). One plan per source, so a rate always belongs
#   to one source and changing it touches no other.
# Removing a source from var.sources deletes its object, plan and subscriber, and the sync deployment's
# verify_claims stops accepting its id.

resource "oci_objectstorage_object" "source" {
  for_each = var.sources

  namespace    = data.oci_objectstorage_namespace.tenancy.namespace
  bucket       = oci_objectstorage_bucket.state.name
  object       = "sources/${each.key}.json"
  content_type = "application/json"
  content = jsonencode({
    id            = each.key
    allowlist     = each.value.allowlist
    ratePerSecond = each.value.rate_per_second
    maxSecrets    = each.value.max_secrets
    signing       = each.value.signing
  })
}

# The rules of var.source_rules: rules/<id>.json in the state bucket, {"filter": …, "transform": …} with only the
# expressions given (the form `./datasync sources rules` stores). The delivering functions read the object of a
# message's source once per batch (If-None-Match, a 304 while unchanged) and record the SHA-256 of its bytes as the
# message's rulesVersion; removing an entry deletes the object, and the source's messages go as received again.
resource "oci_objectstorage_object" "source_rules" {
  for_each = var.source_rules

  namespace    = data.oci_objectstorage_namespace.tenancy.namespace
  bucket       = oci_objectstorage_bucket.state.name
  object       = "rules/${each.key}.json"
  content_type = "application/json"
  content = jsonencode({
    for k, v in { filter = each.value.filter, transform = each.value.transform } : k => v if v != null
  })
}

resource "oci_apigateway_usage_plan" "source" {
  for_each = var.functions_deployed ? var.sources : {}

  compartment_id = var.compartment_ocid
  display_name   = "DataSyncSource-${each.key}"
  freeform_tags  = var.freeform_tags

  entitlements {
    name        = "sync"
    description = "POST /stream/sync as source ${each.key}"

    rate_limit {
      unit  = "SECOND"
      value = each.value.rate_per_second
    }

    targets {
      deployment_id = oci_apigateway_deployment.sync[0].id
    }
  }
}

resource "oci_apigateway_subscriber" "source" {
  for_each = var.functions_deployed ? var.sources : {}

  compartment_id = var.compartment_ocid
  display_name   = "DataSyncSource-${each.key}"
  usage_plans    = [oci_apigateway_usage_plan.source[each.key].id]
  freeform_tags  = var.freeform_tags

  # Client tokens are unique in the tenancy: two deployments of this tier in one tenancy need different source ids
  # (with identity-domain client IDs as ids, the default source_id_claim = "sub", they are).
  clients {
    name  = each.key
    token = each.key
  }
}
