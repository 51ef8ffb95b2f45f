# API Gateway: POST /stream/sync -> populate-data-stream-fn, POST /stream/retry -> retry-fn.
# Retry is an admin operation: it always requires a JWT (issuer, audience and signature checked by
# the gateway) carried in var.admin_token_header. The sync route is anonymous unless
# var.sync_route_requires_auth; its Authorization header is the caller's target token and passes
# through untouched, which is why the admin JWT travels in its own header.

resource "oci_apigateway_gateway" "datasync" {
  compartment_id = var.compartment_ocid
  endpoint_type  = "PUBLIC"
  subnet_id      = oci_core_subnet.gateway.id
  display_name   = "DataSyncGateway"
  freeform_tags  = var.freeform_tags
}

resource "oci_apigateway_deployment" "stream" {
  count = var.functions_deployed ? 1 : 0

  compartment_id = var.compartment_ocid
  gateway_id     = oci_apigateway_gateway.datasync.id
  path_prefix    = "/stream"
  display_name   = "DataSyncStreamApi"
  freeform_tags  = var.freeform_tags

  specification {
    request_policies {
      authentication {
        type                        = "JWT_AUTHENTICATION"
        token_header                = var.admin_token_header
        token_auth_scheme           = "Bearer"
        is_anonymous_access_allowed = !var.sync_route_requires_auth
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
      path    = "/sync"
      methods = ["POST"]

      backend {
        type                    = "ORACLE_FUNCTIONS_BACKEND"
        function_id             = local.populate_function_id
        read_timeout_in_seconds = var.api_backend_read_timeout_seconds
      }

      request_policies {
        authorization {
          type = var.sync_route_requires_auth ? "AUTHENTICATION_ONLY" : "ANONYMOUS"
        }
      }
    }

    routes {
      path    = "/retry"
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
      }
    }
  }

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
      condition     = (var.admin_jwt_jwks_uri == null) != (var.admin_jwt_public_key_pem == null)
      error_message = "Set exactly one of admin_jwt_jwks_uri and admin_jwt_public_key_pem."
    }
  }

  depends_on = [oci_identity_policy.api_gateway]
}

resource "oci_logging_log" "api_execution" {
  count = var.functions_deployed ? 1 : 0

  display_name       = "DataSyncApiExecution"
  log_group_id       = oci_logging_log_group.datasync.id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days
  freeform_tags      = var.freeform_tags

  configuration {
    compartment_id = var.compartment_ocid
    source {
      category    = "execution"
      resource    = oci_apigateway_deployment.stream[0].id
      service     = "apigateway"
      source_type = "OCISERVICE"
    }
  }
}

resource "oci_logging_log" "api_access" {
  count = var.functions_deployed ? 1 : 0

  display_name       = "DataSyncApiAccess"
  log_group_id       = oci_logging_log_group.datasync.id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days
  freeform_tags      = var.freeform_tags

  configuration {
    compartment_id = var.compartment_ocid
    source {
      category    = "access"
      resource    = oci_apigateway_deployment.stream[0].id
      service     = "apigateway"
      source_type = "OCISERVICE"
    }
  }
}
