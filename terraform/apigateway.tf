# API Gateway: POST /stream/sync -> populate-data-stream-fn, POST /stream/retry -> retry-fn. No route is anonymous.
#
# Two kinds of callers, two credentials that never stand in for each other:
# - a source application: a JWT with audience datasync-sync (local.source_jwt_audience) in X-DataSync-Source-Token,
#   from var.source_jwt_issuers; its claim var.source_id_claim is the source id, which must be a key of var.sources;
# - the administrator: a JWT with an audience of var.admin_jwt_audiences (never datasync-sync) in
#   var.admin_token_header, accepted on /stream/retry only.
# Both are sent as `Bearer <jwt>` (the gateway needs a scheme for a token in a header). Authorization is the caller's
# target token on /stream/sync and passes through untouched.
#
# Authentication is a deployment-level request policy (route-level request policies have none), so each kind of
# caller has its own deployment on the one gateway: path prefixes /stream/sync and /stream/retry, each with the single
# route "/", which keeps the public URLs POST /stream/sync and POST /stream/retry. One deployment with
# dynamic_authentication would choose the validator from something the caller sends, and its usage plans (the
# per-source rates, keyed on the source id claim) would apply to /stream/retry too, where no source may call; two
# deployments give each credential its own audience, header, limits and URL.

resource "oci_apigateway_gateway" "datasync" {
  compartment_id = var.compartment_ocid
  endpoint_type  = "PUBLIC"
  subnet_id      = oci_core_subnet.gateway.id
  display_name   = "DataSyncGateway"
  freeform_tags  = var.freeform_tags
}

resource "oci_apigateway_deployment" "sync" {
  count = var.functions_deployed ? 1 : 0

  compartment_id = var.compartment_ocid
  gateway_id     = oci_apigateway_gateway.datasync.id
  path_prefix    = "/stream/sync"
  display_name   = "DataSyncSyncApi"
  freeform_tags  = var.freeform_tags

  specification {
    request_policies {
      authentication {
        type                        = "JWT_AUTHENTICATION"
        token_header                = local.source_token_header
        token_auth_scheme           = "Bearer"
        is_anonymous_access_allowed = false
        issuers                     = var.source_jwt_issuers
        audiences                   = [local.source_jwt_audience]
        max_clock_skew_in_seconds   = 60

        # Only registered sources: a valid credential whose source id is not a key of var.sources is refused
        # here, with the other authentication failures.
        verify_claims {
          key         = var.source_id_claim
          values      = sort(keys(var.sources))
          is_required = true
        }

        public_keys {
          type                        = var.source_jwt_jwks_uri != null ? "REMOTE_JWKS" : "STATIC_KEYS"
          uri                         = var.source_jwt_jwks_uri
          max_cache_duration_in_hours = var.source_jwt_jwks_uri != null ? 1 : null

          dynamic "keys" {
            for_each = var.source_jwt_public_key_pem != null ? [var.source_jwt_public_key_pem] : []
            content {
              format = "PEM"
              key    = keys.value
              kid    = var.source_jwt_public_key_id
            }
          }
        }
      }

      rate_limiting {
        rate_in_requests_per_second = var.api_rate_limit_per_second
        rate_key                    = "CLIENT_IP"
      }

      # Each source's own rate: the usage plan (sources.tf) whose subscriber's client token is the verified
      # source id.
      usage_plans {
        token_locations = ["request.auth[${var.source_id_claim}]"]
      }
    }

    logging_policies {
      access_log {
        is_enabled = true
      }
      execution_log {
        is_enabled = true
        log_level  = "INFO"
      }
    }

    routes {
      path    = "/"
      methods = ["POST"]

      backend {
        type                    = "ORACLE_FUNCTIONS_BACKEND"
        function_id             = local.populate_function_id
        read_timeout_in_seconds = var.api_backend_read_timeout_seconds
      }

      request_policies {
        authorization {
          type = "AUTHENTICATION_ONLY"
        }

        header_transformations {
          # The source id comes from the verified credential only: OVERWRITE replaces any copy the caller sent.
          # populate-data-stream-fn trusts this header because nothing but the gateway may invoke it (iam.tf).
          set_headers {
            items {
              name      = local.source_id_header
              values    = ["$${request.auth[${var.source_id_claim}]}"]
              if_exists = "OVERWRITE"
            }
          }

          # The credential has done its work here; the function never receives it.
          filter_headers {
            type = "BLOCK"
            items {
              name = local.source_token_header
            }
          }
        }
      }
    }
  }

  # The checks both deployments share stand here once: a failed precondition stops the whole plan.
  lifecycle {
    precondition {
      condition     = local.populate_function_id != null && local.retry_function_id != null
      error_message = "functions_deployed = true but populate-data-stream-fn or retry-fn is not in DataSyncApplication: run `fn deploy --app DataSyncApplication` in each function folder first."
    }
    precondition {
      condition     = var.api_backend_read_timeout_seconds >= max(coalesce(local.populate_function_timeout, 0), coalesce(local.retry_function_timeout, 0)) + local.gateway_timeout_headroom_seconds
      error_message = "api_backend_read_timeout_seconds (${var.api_backend_read_timeout_seconds}) must exceed the deployed timeouts of populate-data-stream-fn (${coalesce(local.populate_function_timeout, 0)} s) and retry-fn (${coalesce(local.retry_function_timeout, 0)} s) by at least ${local.gateway_timeout_headroom_seconds} s, or the gateway gives up on work the function still completes."
    }
    precondition {
      condition     = (var.source_jwt_jwks_uri == null) != (var.source_jwt_public_key_pem == null)
      error_message = "Set exactly one of source_jwt_jwks_uri and source_jwt_public_key_pem."
    }
    precondition {
      condition     = length(var.sources) > 0
      error_message = "sources is empty, so POST /stream/sync would refuse every caller: register at least one source application (docs/deploy.md, \"Registering a source\")."
    }
  }

  depends_on = [oci_identity_policy.api_gateway]
}

resource "oci_apigateway_deployment" "retry" {
  count = var.functions_deployed ? 1 : 0

  compartment_id = var.compartment_ocid
  gateway_id     = oci_apigateway_gateway.datasync.id
  path_prefix    = "/stream/retry"
  display_name   = "DataSyncRetryApi"
  freeform_tags  = var.freeform_tags

  specification {
    request_policies {
      authentication {
        type                        = "JWT_AUTHENTICATION"
        token_header                = var.admin_token_header
        token_auth_scheme           = "Bearer"
        is_anonymous_access_allowed = false
        issuers                     = var.admin_jwt_issuers
        audiences                   = var.admin_jwt_audiences
        max_clock_skew_in_seconds   = 60

        public_keys {
          type                        = var.admin_jwt_jwks_uri != null ? "REMOTE_JWKS" : "STATIC_KEYS"
          uri                         = var.admin_jwt_jwks_uri
          max_cache_duration_in_hours = var.admin_jwt_jwks_uri != null ? 1 : null

          dynamic "keys" {
            for_each = var.admin_jwt_public_key_pem != null ? [var.admin_jwt_public_key_pem] : []
            content {
              format = "PEM"
              key    = keys.value
              kid    = var.admin_jwt_public_key_id
            }
          }
        }
      }

      rate_limiting {
        rate_in_requests_per_second = var.api_rate_limit_per_second
        rate_key                    = "CLIENT_IP"
      }
    }

    logging_policies {
      access_log {
        is_enabled = true
      }
      execution_log {
        is_enabled = true
        log_level  = "INFO"
      }
    }

    routes {
      path    = "/"
      methods = ["POST"]

      backend {
        type                    = "ORACLE_FUNCTIONS_BACKEND"
        function_id             = local.retry_function_id
        read_timeout_in_seconds = var.api_backend_read_timeout_seconds
      }

      request_policies {
        authorization {
          type = "AUTHENTICATION_ONLY"
        }

        # A source id reaches a function only from the sync deployment, which sets it from a verified source
        # credential; whatever a caller sends here is dropped, and so is the admin credential once checked.
        header_transformations {
          filter_headers {
            type = "BLOCK"
            items {
              name = local.source_id_header
            }
            items {
              name = var.admin_token_header
            }
          }
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = (var.admin_jwt_jwks_uri == null) != (var.admin_jwt_public_key_pem == null)
      error_message = "Set exactly one of admin_jwt_jwks_uri and admin_jwt_public_key_pem."
    }
  }

  # After the sync deployment, which takes the place of the single /stream deployment (moved block below): the
  # prefix /stream is gone before /stream/retry is created.
  depends_on = [oci_identity_policy.api_gateway, oci_apigateway_deployment.sync]
}

# One deployment under /stream served both routes; the sync deployment takes its address (its path prefix cannot
# change in place, so Terraform replaces it: destroy, then create).
moved {
  from = oci_apigateway_deployment.stream[0]
  to   = oci_apigateway_deployment.sync[0]
}

# Access and execution logs, one of each per deployment.
locals {
  api_deployment_ids = var.functions_deployed ? {
    sync  = oci_apigateway_deployment.sync[0].id
    retry = oci_apigateway_deployment.retry[0].id
  } : {}
}

resource "oci_logging_log" "api_execution" {
  for_each = local.api_deployment_ids

  display_name       = "DataSyncApiExecution-${each.key}"
  log_group_id       = oci_logging_log_group.datasync.id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days
  freeform_tags      = var.freeform_tags

  configuration {
    compartment_id = var.compartment_ocid
    source {
      category    = "execution"
      resource    = each.value
      service     = "apigateway"
      source_type = "OCISERVICE"
    }
  }
}

resource "oci_logging_log" "api_access" {
  for_each = local.api_deployment_ids

  display_name       = "DataSyncApiAccess-${each.key}"
  log_group_id       = oci_logging_log_group.datasync.id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days
  freeform_tags      = var.freeform_tags

  configuration {
    compartment_id = var.compartment_ocid
    source {
      category    = "access"
      resource    = each.value
      service     = "apigateway"
      source_type = "OCISERVICE"
    }
  }
}

moved {
  from = oci_logging_log.api_execution[0]
  to   = oci_logging_log.api_execution["sync"]
}

moved {
  from = oci_logging_log.api_access[0]
  to   = oci_logging_log.api_access["sync"]
}
