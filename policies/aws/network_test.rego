package terrane.pack.aws.network_test

import rego.v1

import data.terrane.pack.aws.network
import data.terrane.testing

at(t, values) := {"type": t, "name": "x", "region": "eu-central-1", "values": values}

# --- TRN-AWS-NET-001 ----------------------------------------------------------------

bucket(tags) := {"type": "aws_s3_bucket", "name": "data", "region": "eu-central-1", "values": {"bucket": "data"}, "tags": tags}

tls_deny := {
	"Sid": "DenyInsecureTransport",
	"Effect": "Deny",
	"Principal": "*",
	"Action": "s3:*",
	"Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
	"Condition": {"Bool": {"aws:SecureTransport": "false"}},
}

tls13_deny := {
	"Effect": "Deny",
	"Principal": "*",
	"Action": "s3:*",
	"Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
	"Condition": {"NumericLessThan": {"s3:TlsVersion": "1.3"}},
}

bucket_policy(statements) := {
	"type": "aws_s3_bucket_policy",
	"name": "data",
	"region": "eu-central-1",
	"values": {"bucket": "data", "policy": json.marshal({"Version": "2012-10-17", "Statement": statements})},
	"relations": [{"kind": "configures", "target": "aws_s3_bucket.data", "target_type": "aws_s3_bucket", "target_region": "eu-central-1"}],
}

test_trn_aws_net_001_no_policy_fires if {
	findings := network.deny with input as testing.estate([bucket({})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-NET-001"
	contains(f.message, "aws:SecureTransport")
}

test_trn_aws_net_001_policy_without_tls_deny_fires if {
	read := {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/reader"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"}
	findings := network.deny with input as testing.estate([bucket({}), bucket_policy([read])])
	count(findings) == 1
}

test_trn_aws_net_001_tls_deny_passes if {
	findings := network.deny with input as testing.estate([bucket({}), bucket_policy([tls_deny])])
	count(findings) == 0
}

test_trn_aws_net_001_rcp_passes if {
	rcp := {
		"type": "aws_organizations_policy",
		"name": "rcp",
		"values": {"type": "RESOURCE_CONTROL_POLICY", "content": json.marshal({"Version": "2012-10-17", "Statement": [tls_deny]})},
	}
	attachment := {
		"type": "aws_organizations_policy_attachment",
		"name": "rcp",
		"relations": [{"kind": "reference", "target": "aws_organizations_policy.rcp", "target_type": "aws_organizations_policy"}],
	}
	findings := network.deny with input as testing.estate([bucket({}), rcp, attachment])
	count(findings) == 0
}

test_trn_aws_net_001_sensitive_without_tls13_fires if {
	findings := network.deny with input as testing.estate([bucket({"data-classification": "confidential"}), bucket_policy([tls_deny])])
	count(findings) == 1
	some f in findings
	contains(f.message, "1.3")
}

test_trn_aws_net_001_sensitive_with_tls13_passes if {
	findings := network.deny with input as testing.estate([bucket({"data-classification": "confidential"}), bucket_policy([tls_deny, tls13_deny])])
	count(findings) == 0
}

test_trn_aws_net_001_policy_unknown_undecided if {
	p := object.union(object.remove(bucket_policy([]), ["values"]), {"values": {"bucket": "data"}, "unknown": ["policy"]})
	findings := network.deny with input as testing.estate([bucket({}), p])
	count(findings) == 1
	some f in findings
	f.undecided
}

# --- TRN-AWS-NET-002 ----------------------------------------------------------------

test_trn_aws_net_002_plain_http_fires if {
	findings := network.deny with input as testing.estate([at("aws_lb_listener", {"protocol": "HTTP", "port": 80, "default_action": [{"type": "forward"}]})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-NET-002"
	contains(f.message, "HTTP")
}

test_trn_aws_net_002_old_ssl_policy_fires if {
	findings := network.deny with input as testing.estate([at("aws_lb_listener", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-0-2021-06"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "ELBSecurityPolicy-TLS13-1-0-2021-06")
}

test_trn_aws_net_002_default_ssl_policy_fires if {
	findings := network.deny with input as testing.estate([at("aws_lb_listener", {"protocol": "HTTPS"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "ELBSecurityPolicy-2016-08")
}

test_trn_aws_net_002_ssl_policy_unknown_undecided if {
	l := object.union(at("aws_lb_listener", {"protocol": "HTTPS"}), {"unknown": ["ssl_policy"]})
	findings := network.deny with input as testing.estate([l])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_aws_net_002_modern_listeners_passes if {
	redirect := {"type": "redirect", "redirect": [{"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}]}
	findings := network.deny with input as testing.estate([
		at("aws_lb_listener", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
		at("aws_lb_listener", {"protocol": "TLS", "ssl_policy": "ELBSecurityPolicy-FS-1-2-Res-2020-10"}),
		at("aws_lb_listener", {"protocol": "HTTP", "default_action": [redirect]}),
		at("aws_lb_listener", {"protocol": "TCP"}),
	])
	count(findings) == 0
}

distribution(certificate, behavior) := at("aws_cloudfront_distribution", {"viewer_certificate": [certificate], "default_cache_behavior": [behavior]})

test_trn_aws_net_002_cloudfront_default_certificate_fires if {
	findings := network.deny with input as testing.estate([distribution({"cloudfront_default_certificate": true}, {"viewer_protocol_policy": "redirect-to-https"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "default CloudFront certificate")
}

test_trn_aws_net_002_cloudfront_old_protocol_fires if {
	certificate := {"acm_certificate_arn": "arn:aws:acm:us-east-1:111111111111:certificate/1", "minimum_protocol_version": "TLSv1.1_2016"}
	findings := network.deny with input as testing.estate([distribution(certificate, {"viewer_protocol_policy": "allow-all"})])
	count(findings) == 2
	some f in findings
	contains(f.message, "TLSv1.1_2016")
}

test_trn_aws_net_002_cloudfront_modern_passes if {
	certificate := {"acm_certificate_arn": "arn:aws:acm:us-east-1:111111111111:certificate/1", "minimum_protocol_version": "TLSv1.2_2021"}
	findings := network.deny with input as testing.estate([distribution(certificate, {"viewer_protocol_policy": "https-only"})])
	count(findings) == 0
}

test_trn_aws_net_002_api_domain_default_fires if {
	findings := network.deny with input as testing.estate([at("aws_api_gateway_domain_name", {"domain_name": "api.example.eu"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "TLS_1_0")
}

test_trn_aws_net_002_api_domains_modern_passes if {
	findings := network.deny with input as testing.estate([
		at("aws_api_gateway_domain_name", {"security_policy": "TLS_1_2"}),
		at("aws_api_gateway_domain_name", {"security_policy": "SecurityPolicy_TLS13_1_3_2025_09"}),
		at("aws_apigatewayv2_domain_name", {"domain_name_configuration": [{"security_policy": "TLS_1_2", "endpoint_type": "REGIONAL"}]}),
	])
	count(findings) == 0
}

# --- TRN-AWS-NET-003 ----------------------------------------------------------------

test_trn_aws_net_003_internet_gateway_fires if {
	findings := network.deny with input as testing.estate([at("aws_internet_gateway", {"vpc_id": "vpc-1"})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-NET-003"
	contains(f.message, "aws_internet_gateway")
}

test_trn_aws_net_003_default_route_to_gateway_fires if {
	findings := network.deny with input as testing.estate([
		at("aws_route", {"destination_cidr_block": "0.0.0.0/0", "gateway_id": "igw-0123456789abcdef0"}),
		at("aws_route_table", {"route": [{"ipv6_cidr_block": "::/0", "gateway_id": "igw-0123456789abcdef0"}]}),
	])
	count(findings) == 2
	some f in findings
	contains(f.message, "::/0")
}

test_trn_aws_net_003_block_public_access_off_fires if {
	findings := network.deny with input as testing.estate([at("aws_vpc_block_public_access_options", {"internet_gateway_block_mode": "off"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "off")
}

test_trn_aws_net_003_vpn_fires if {
	findings := network.deny with input as testing.estate([at("aws_vpn_connection", {"customer_gateway_id": "cgw-1", "type": "ipsec.1"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "aws_vpn_connection")
}

test_trn_aws_net_003_private_network_passes if {
	findings := network.deny with input as testing.estate([
		at("aws_vpc_block_public_access_options", {"internet_gateway_block_mode": "block-bidirectional"}),
		at("aws_route", {"destination_cidr_block": "0.0.0.0/0", "nat_gateway_id": "nat-1"}),
		at("aws_route", {"destination_cidr_block": "10.1.0.0/16", "gateway_id": "igw-0123456789abcdef0"}),
		at("aws_route_table", {"route": [{"cidr_block": "0.0.0.0/0", "transit_gateway_id": "tgw-1"}]}),
	])
	count(findings) == 0
}
