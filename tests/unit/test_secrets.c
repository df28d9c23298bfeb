/*
 * Unit tests for the secrets module: every built-in rule finds a
 * format-valid fake value (with the right id, line and censoring) and
 * misses a near miss; config loading errors name the rule and the regex
 * error; allow rules and skips; Anchore's searches; the bounds on hostile
 * content.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>

#include "customs/secrets.h"

struct sample {
	const char *id, *path, *text, *secret, *near;
};

/* Generated once from the vendors' token formats with a seeded random
 * generator: format-valid, never real. */
static const struct sample samples[] = {
	{ "aws-access-key-id", "app/config.txt", "id=AKIAUJZDE8GXD6NCF10E",
	  "AKIAUJZDE8GXD6NCF10E", "id=AKIAUJZDE8GXD6NCF1" },
	{ "aws-secret-access-key", "app/config.txt",
	  "aws_secret_access_key = eL2HPcHyGcFRl1SPnXNYvMIHa+2o76umfXfKm+r5",
	  "eL2HPcHyGcFRl1SPnXNYvMIHa+2o76umfXfKm+r5",
	  "aws_secret_access_key = eL2HPcHyGcFRl1SPnXNYvMIHa+2o76" },
	{ "gcp-service-account", "app/config.txt",
	  "{\"type\": \"service_account\", \"private_key_id\": "
	  "\"923d5a4fd12aabfe228f219e9cb0eb53f16947cc\"}",
	  "923d5a4fd12aabfe228f219e9cb0eb53f16947cc",
	  "{\"type\": \"service_account\", \"private_key_id\": "
	  "\"923d5a4fd12aabfe228f219e9cb0eb\"}" },
	{ "gcp-api-key", "app/config.txt",
	  "key=AIza63fFKcZjR4I0b3jRtaWr4Y9OJFLJOqOAf1l",
	  "AIza63fFKcZjR4I0b3jRtaWr4Y9OJFLJOqOAf1l",
	  "key=AIzaLQSAJaiXnkU8Is2g8npr" },
	{ "gcp-oauth-client-secret", "app/config.txt",
	  "secret=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",
	  "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", "secret=GOCSPX-DGAkJiG8Xn" },
	{ "azure-storage-account-key", "app/config.txt",
	  "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=DJawTgsu8PO+"
	  "799nKSNrh9UCauSDmLhuVtcqcYezdZ/"
	  "tDDj8hYs5suKcNd8Zra9A9sKPxZ9W3qLy7zKUVQDT7S==;",
	  "DJawTgsu8PO+799nKSNrh9UCauSDmLhuVtcqcYezdZ/"
	  "tDDj8hYs5suKcNd8Zra9A9sKPxZ9W3qLy7zKUVQDT7S==",
	  "AccountKey=n0meq7WJjjIBAzupGhv7Ib3M03NBQNSgPwlUQia1;" },
	{ "azure-sas-token", "app/config.txt",
	  "https://x.blob.core.windows.net/"
	  "c?sv=2022-11-02&ss=b&sp=r&sig="
	  "ID6vW5dql05ha064gIiJhgB3cxLmAxzJLJenuHjDUrh%3D",
	  "ID6vW5dql05ha064gIiJhgB3cxLmAxzJLJenuHjDUrh%3D",
	  "https://x.blob.core.windows.net/"
	  "c?sp=r&sig=ID6vW5dql05ha064gIiJhgB3cxLmAxzJLJenuHjDUrh%3D" },
	{ "azure-devops-pat", "app/config.txt",
	  "AZURE_DEVOPS_PAT="
	  "794g9dpmrcg629be2u66mr26846p7q9m2i0hz2uep1enthjxjqi3",
	  "794g9dpmrcg629be2u66mr26846p7q9m2i0hz2uep1enthjxjqi3",
	  "AZURE_DEVOPS_PAT=794g9dpmrcg629be2u66mr26846p7q9m2i0hz2ue" },
	{ "azure-container-registry-credential", "app/config.txt",
	  "ACR_PASSWORD=BOadg7aqeDKtl1rkFBjHZpzEKyjkAgmQBRwGjufb"
	  "wVmvYuBZw89vJQQJ99CFACYeBjFEqg7NAAACAZCRJrfF",
	  "BOadg7aqeDKtl1rkFBjHZpzEKyjkAgmQBRwGjufb"
	  "wVmvYuBZw89vJQQJ99CFACYeBjFEqg7NAAACAZCRJrfF",
	  "ACR_PASSWORD=Oadg7aqeDKtl1rkFBjHZpzEKyjkAgmQBRwGjufb"
	  "wVmvYuBZw89vJQQJ99CFACYeBjFEqg7NAAACAZCRJrfF" },
	{ "azure-ai-services-key", "app/config.txt",
	  "AZURE_AI_KEY=tpJfOuWzDIapWIq4E4vOLpTh3vz0yPF8VjX2wS0J"
	  "L1r9RyUZtyvHJQQJ99BLACenqyTXJ3w3AAABACOG0Ttf",
	  "tpJfOuWzDIapWIq4E4vOLpTh3vz0yPF8VjX2wS0J"
	  "L1r9RyUZtyvHJQQJ99BLACenqyTXJ3w3AAABACOG0Ttf",
	  "AZURE_AI_KEY=tpJfOuWzDIapWIq4E4vOLpTh3vz0yPF8VjX2wS0J"
	  "L1r9RyUZtyvHJQQJ99BLACenqyTXJ3w3AAABAWPS0Ttf" },
	{ "azure-entra-client-secret", "app/config.txt",
	  "client_secret=Ov88Q~GZ4fKq1OKtbgZVaMWUFuXBVjdctBYVhnSg",
	  "Ov88Q~GZ4fKq1OKtbgZVaMWUFuXBVjdctBYVhnSg",
	  "client_secret=9EH8Q~6yO4GFQRC5" },
	{ "azure-container-registry-password", "app/config.txt",
	  "pw=xLRwI0b26r08QZJi6gkfsUFRDzsLb5ER8BoFzQFm2O+ACREQ3HdA",
	  "xLRwI0b26r08QZJi6gkfsUFRDzsLb5ER8BoFzQFm2O+ACREQ3HdA",
	  "pw=Vja76RnIChtP8HKQDLM7+ACRToThwN" },
	{ "azure-app-config-connection-string", "app/config.txt",
	  "Endpoint=https://"
	  "myconf.azconfig.io;Id=abc-l0-s0:xyz;Secret="
	  "ScgrLRWzBQCABugjMgeP7cGq0pbqfi14ZgTsNOVM14tu",
	  "ScgrLRWzBQCABugjMgeP7cGq0pbqfi14ZgTsNOVM14tu",
	  "Endpoint=https://myconf.azconfig.io;Id=abc;Secret=short" },
	{ "alibaba-access-key-id", "app/config.txt",
	  "id=LTAIoIZWD1IAEov4QbKDFq1Y", "LTAIoIZWD1IAEov4QbKDFq1Y",
	  "id=LTAI3gqSmPsSCdLK" },
	{ "alibaba-secret-key", "app/config.txt",
	  "alibaba_secret = \"r2aqxv9upctnwlavyf4r6mp6afqfjz\"",
	  "r2aqxv9upctnwlavyf4r6mp6afqfjz",
	  "alibaba_secret = \"r2aqxv9upctnwlavyf4r\"" },
	{ "digitalocean-token", "app/config.txt",
	  "DO=dop_v1_"
	  "1c099724caf4941d4072014b3ce107f80e222f828767efc2f91624a8940f1f83",
	  "dop_v1_"
	  "1c099724caf4941d4072014b3ce107f80e222f828767efc2f91624a8940f1f83",
	  "DO=dop_v1_6f99eee3692f09e2e8c662248b483b" },
	{ "github-pat", "app/config.txt",
	  "token=ghp_Of54fZBKA8frcZTuJaWYUH1VAUwV1ZH87MtA",
	  "ghp_Of54fZBKA8frcZTuJaWYUH1VAUwV1ZH87MtA",
	  "token=ghp_5vSQXEZY3lEX7bwR2DRG" },
	{ "github-oauth", "app/config.txt",
	  "token=gho_D1qSo7JPRbgUMxXy9b4BzwoZ648jjNuFD7ua",
	  "gho_D1qSo7JPRbgUMxXy9b4BzwoZ648jjNuFD7ua",
	  "token=gho_cnwIp3SfD67jIKeaVSTQ" },
	{ "github-app-token", "app/config.txt",
	  "token=ghs_vvpQZpPTejqZHKpKENg5zfjOc6VwcbIjMPFL",
	  "ghs_vvpQZpPTejqZHKpKENg5zfjOc6VwcbIjMPFL",
	  "token=ghs_VjFUPXQzkM4Bv3aYavhN" },
	{ "github-refresh-token", "app/config.txt",
	  "token=ghr_"
	  "YRVwDfRk9XIrghoy32NFR5PYZpcb9T2039BICbtw5ze9lfAEZ7770h2dcPyGOJJhrG80"
	  "usp2w5dF",
	  "ghr_"
	  "YRVwDfRk9XIrghoy32NFR5PYZpcb9T2039BICbtw5ze9lfAEZ7770h2dcPyGOJJhrG80"
	  "usp2w5dF",
	  "token=ghr_jxCAyIOk6CptT9IoQhob" },
	{ "github-fine-grained-pat", "app/config.txt",
	  "t=github_pat_"
	  "swHGETh8lMYQOymAAiTdR9Up14PehPjPB9atpTDBMf4rpaFQOqb7XOfCsVtaXrZMAzSv"
	  "2gENf_MTx0MOdO",
	  "github_pat_"
	  "swHGETh8lMYQOymAAiTdR9Up14PehPjPB9atpTDBMf4rpaFQOqb7XOfCsVtaXrZMAzSv"
	  "2gENf_MTx0MOdO",
	  "t=github_pat_Qw4SG8nfnL5Ofa6qD8mJ7ZDNBmJaDt" },
	{ "gitlab-pat", "app/config.txt", "t=glpat-DLZc5t4UuHF7KVMLp7hv",
	  "glpat-DLZc5t4UuHF7KVMLp7hv", "t=glpat-dCTquY1XVcKG" },
	{ "gitlab-runner-token", "app/config.txt",
	  "t=glrt-AFRFWa94Hj9wNYWx0T0z", "glrt-AFRFWa94Hj9wNYWx0T0z",
	  "t=glrt-bFDteMXi6cMU" },
	{ "gitlab-deploy-token", "app/config.txt",
	  "t=gldt-Xv5eBoaPzoxZCYCdEz6D", "gldt-Xv5eBoaPzoxZCYCdEz6D",
	  "t=gldt-QMvE5mVXRV99" },
	{ "gitlab-pipeline-trigger-token", "app/config.txt",
	  "t=glptt-18a8902073fec8df4f50947aaeb26c57d21fa5d3",
	  "glptt-18a8902073fec8df4f50947aaeb26c57d21fa5d3",
	  "t=glptt-28263dfe574de739988b" },
	{ "bitbucket-client-id", "app/config.txt",
	  "bitbucket_client_id: qqm2plppjsmuezqp67og3cga4o2xcsoh",
	  "qqm2plppjsmuezqp67og3cga4o2xcsoh",
	  "bitbucket_client_id: qqm2plppjsmuezqp67og" },
	{ "bitbucket-client-secret", "app/config.txt",
	  "bitbucket_secret: "
	  "dmmex6l2qagwncxvjcnqcnau0xltenc594e0gz9j8fkzr0st0dtw00bxmzzna1k1",
	  "dmmex6l2qagwncxvjcnqcnau0xltenc594e0gz9j8fkzr0st0dtw00bxmzzna1k1",
	  "bitbucket_secret: "
	  "dmmex6l2qagwncxvjcnqcnau0xltenc594e0gz9j8fkzr0st0d" },
	{ "hugging-face-access-token", "app/config.txt",
	  "HF=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",
	  "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",
	  "HF=hf_zzzgjebpkbtumcwtwfuz" },
	{ "private-key", "app/key.pem",
	  "-----BEGIN RSA PRIVATE "
	  "KEY-----\nczZ8XbFzUxtPTfYFEpPx6n1nf2xv54WCA+"
	  "7e56W8zNIQt3uL4FFQKoKGwRDIOYQ+"
	  "\nkVcIsgUpj6Sg9aheovEZXzUjpwVhOGu5NgyvhwvSuqK4dWGlgnoAEcTl31uGQ+"
	  "dF\nCGAtmNtc0mRau8URBfT5MISizhBHs4/"
	  "fVAFHDzXeUHNBZS0Z1WnImG9Aw37K5WcN\n-----END RSA PRIVATE KEY-----",
	  NULL,
	  "-----BEGIN PUBLIC "
	  "KEY-----\nczZ8XbFzUxtPTfYFEpPx6n1nf2xv54WCA+"
	  "7e56W8zNIQt3uL4FFQKoKGwRDIOYQ+"
	  "\nkVcIsgUpj6Sg9aheovEZXzUjpwVhOGu5NgyvhwvSuqK4dWGlgnoAEcTl31uGQ+"
	  "dF\nCGAtmNtc0mRau8URBfT5MISizhBHs4/"
	  "fVAFHDzXeUHNBZS0Z1WnImG9Aw37K5WcN\n-----END PUBLIC KEY-----" },
	{ "jwt-token", "app/config.txt",
	  "Authorization: Bearer "
	  "eyJQOpCHV5v7s82QtDRojrb.eyJry6hQSp795NF4gAKQ5P1vM8Kv6UM4Y."
	  "qew88AD3dnbyJVSEDONUsSDDFRFIFIuZIxNfaaOEELk",
	  "eyJQOpCHV5v7s82QtDRojrb.eyJry6hQSp795NF4gAKQ5P1vM8Kv6UM4Y."
	  "qew88AD3dnbyJVSEDONUsSDDFRFIFIuZIxNfaaOEELk",
	  "Authorization: Bearer eyJhbGci.eyJzdWIi" },
	{ "age-secret-key", "app/config.txt",
	  "AGE-SECRET-KEY-"
	  "17XGXDJ54MSPKSJRH57JP6PMXK7RD9J2MQVJRQKLXLTLKS2JDWL289LX5KX",
	  "AGE-SECRET-KEY-"
	  "17XGXDJ54MSPKSJRH57JP6PMXK7RD9J2MQVJRQKLXLTLKS2JDWL289LX5KX",
	  "AGE-SECRET-KEY-1EE9MPHDNSM2CWAGZK5FU52AUSWG4A0" },
	{ "basic-auth-url", "app/config.txt",
	  "DATABASE_URL=postgres://admin:6mrtjjpu7wkp@db.internal:5432/app",
	  "6mrtjjpu7wkp",
	  "DATABASE_URL=postgres://admin:password@db.internal:5432/app" },
	{ "slack-access-token", "app/config.txt",
	  "SLACK=xoxb-534121362244-bRMGo6GRN4YdCAZ2ybsOgoSd",
	  "xoxb-534121362244-bRMGo6GRN4YdCAZ2ybsOgoSd", "SLACK=xoxb-02496" },
	{ "slack-app-token", "app/config.txt",
	  "SLACK_APP=xapp-1-AAP10OOLH31-5416362467709-"
	  "d5a0cf318656b3e6f0bade65c3b188cc102ddb8379c7ce65426f74bde94fb78c",
	  "xapp-1-AAP10OOLH31-5416362467709-"
	  "d5a0cf318656b3e6f0bade65c3b188cc102ddb8379c7ce65426f74bde94fb78c",
	  "SLACK_APP=xapp-1-abc" },
	{ "slack-web-hook", "app/config.txt",
	  "url=https://hooks.slack.com/services/TQ1L4ARWP/BTU451FXJ/"
	  "7T2YDF0k5Uy8Ih1WolAqAN8E",
	  "TQ1L4ARWP/BTU451FXJ/7T2YDF0k5Uy8Ih1WolAqAN8E",
	  "url=https://hooks.slack.com/services/T000/B000/x" },
	{ "discord-api-token", "app/config.txt",
	  "discord_token = "
	  "\"10dehf63eg49fc91g7g8c6d9d05he779b76e7h7f9af26716355cf3aab2d877eb"
	  "\"",
	  "10dehf63eg49fc91g7g8c6d9d05he779b76e7h7f9af26716355cf3aab2d877eb",
	  "discord_token = \"10dehf63eg49fc91g7g8c6d9d05he779b76e7h7f\"" },
	{ "discord-client-id", "app/config.txt",
	  "discord_client_id = \"362515578834656480\"", "362515578834656480",
	  "discord_client_id = \"362515578834\"" },
	{ "discord-client-secret", "app/config.txt",
	  "discord_client_secret = \"ssw5zv6r6wn5hvmutifcz9z8dztgacm4\"",
	  "ssw5zv6r6wn5hvmutifcz9z8dztgacm4",
	  "discord_client_secret = \"ssw5zv6r6wn5hvmutifc\"" },
	{ "stripe-publishable-token", "app/config.txt",
	  "STRIPE=pk_live_mxqDyg6inYnJorssm4rFNCqo",
	  "pk_live_mxqDyg6inYnJorssm4rFNCqo", "STRIPE=pk_live_dowLG" },
	{ "stripe-secret-token", "app/config.txt",
	  "STRIPE=sk_live_qL3CaxG67pAX30IyTjtQ3TLa",
	  "sk_live_qL3CaxG67pAX30IyTjtQ3TLa", "STRIPE=sk_live_CUBbk" },
	{ "stripe-restricted-key", "app/config.txt",
	  "STRIPE=rk_live_pl76DfkhC0Hxzaks6ZcEArYm",
	  "rk_live_pl76DfkhC0Hxzaks6ZcEArYm", "STRIPE=rk_live_l8qJe" },
	{ "shopify-token", "app/config.txt",
	  "SHOPIFY=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",
	  "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",
	  "SHOPIFY=shpat_102c995f1abef543b5df" },
	{ "twilio-api-key", "app/config.txt",
	  "TWILIO=SKce8a981a049d7ccc7e90a88d519448fb",
	  "SKce8a981a049d7ccc7e90a88d519448fb",
	  "TWILIO=SK2fc6791ce680ce2b27c8" },
	{ "gocardless-api-token", "app/config.txt",
	  "GC=live_41hUeglMMNMFLzsSXkkWZxh2JPC7fX3GXodyFJUm",
	  "live_41hUeglMMNMFLzsSXkkWZxh2JPC7fX3GXodyFJUm",
	  "GC=live_BWRhmBGCN33kflkNQ7xR" },
	{ "flutterwave-public-key", "app/config.txt",
	  "FLW=FLWSECK_TEST-5d6e0b2gf4cabb9367c4dc02hc84f6f3-X",
	  "FLWSECK_TEST-5d6e0b2gf4cabb9367c4dc02hc84f6f3-X",
	  "FLW=FLWSECK_TEST-77518b1018-X" },
	{ "flutterwave-enc-key", "app/config.txt",
	  "FLWENC=FLWSECK_TEST87bde2ag16d7", "FLWSECK_TEST87bde2ag16d7",
	  "FLWENC=FLWSECK_TESTab8c3" },
	{ "finicity-client-secret", "app/config.txt",
	  "finicity_secret = \"x4yk2pja3mckoexi2gyb\"", "x4yk2pja3mckoexi2gyb",
	  "finicity_secret = \"x4yk2pja3m\"" },
	{ "finicity-api-token", "app/config.txt",
	  "finicity_token = \"2eaa7f3b4a715e4e48dd74089a58f3ae\"",
	  "2eaa7f3b4a715e4e48dd74089a58f3ae",
	  "finicity_token = \"2eaa7f3b4a715e4e48dd7408\"" },
	{ "shippo-api-token", "app/config.txt",
	  "SHIPPO=shippo_live_f3416f9386bd8773c9d51940ea4e095bd1d68545",
	  "shippo_live_f3416f9386bd8773c9d51940ea4e095bd1d68545",
	  "SHIPPO=shippo_live_75622f856469602d1ba9" },
	{ "duffel-api-token", "app/config.txt",
	  "DUFFEL=duffel_live_1o38fFAa6weI3qRPLk1XCKsXkm2AWh7c9hEHWtP0136",
	  "duffel_live_1o38fFAa6weI3qRPLk1XCKsXkm2AWh7c9hEHWtP0136",
	  "DUFFEL=duffel_live_Uxt3Ykw5DS3G9ufcgBhz" },
	{ "easypost-api-token", "app/config.txt",
	  "EP=EZAKiIBP9FOnLKGTQj09BBG7svMQB1mokdhPscGW3GtLCRHdflgwRHHHZ4",
	  "EZAKiIBP9FOnLKGTQj09BBG7svMQB1mokdhPscGW3GtLCRHdflgwRHHHZ4",
	  "EP=EZAKIilO3OJqkdvZK80B8oYsam1mhCZ8Dx" },
	{ "npm-access-token", "app/config.txt",
	  "NPM=npm_XVZP1Vtb1kz6U0Z2jDUhJ9r7WP3bqoAXGhLE",
	  "npm_XVZP1Vtb1kz6U0Z2jDUhJ9r7WP3bqoAXGhLE",
	  "NPM=npm_UbMgqBOIaZx7doCz44CC" },
	{ "npmrc-auth-token", "app/.npmrc",
	  "//registry.internal/"
	  ":_authToken=8813830d-7193-9b53-182e-4e349d98729e",
	  "8813830d-7193-9b53-182e-4e349d98729e",
	  "//registry.internal/:_authToken=${NPM_TOKEN}" },
	{ "pypi-upload-token", "app/config.txt",
	  "password = "
	  "pypi-AgEIcHlwaS5vcmccxZu6m98nDfqcYxyBtUepp-"
	  "ikblHCUIs4Hx4tNcT1rtRZjM8iQ0NA0P_yT1jOw56ktltyx",
	  "pypi-AgEIcHlwaS5vcmccxZu6m98nDfqcYxyBtUepp-"
	  "ikblHCUIs4Hx4tNcT1rtRZjM8iQ0NA0P_yT1jOw56ktltyx",
	  "password = pypi-AgEIcHlwaS5vcmcpUAyv2fYcTLiTzJbkYlO" },
	{ "rubygems-api-token", "app/config.txt",
	  "GEM=rubygems_2aa7a6d0018f99ddceb1be0273dbc46dfcea25bab29539ad",
	  "rubygems_2aa7a6d0018f99ddceb1be0273dbc46dfcea25bab29539ad",
	  "GEM=rubygems_5966d513b1d00909c30065f846d345" },
	{ "clojars-api-token", "app/config.txt",
	  "CJ=CLOJARS_"
	  "76gbgek7531daujpwrkcrgewm2ybdozc2dppocklua3t0q5epyo0tz5bpflk",
	  "CLOJARS_"
	  "76gbgek7531daujpwrkcrgewm2ybdozc2dppocklua3t0q5epyo0tz5bpflk",
	  "CJ=CLOJARS_wylasz9xhv8yvzeh1w9pym3swp1crb" },
	{ "private-packagist-token", "app/config.txt",
	  "PP=packagist_uut_"
	  "a4742684ee75bb6cc69f67e48eb7c64328c0490c257a632b96292794c9bce4850bb"
	  "d",
	  "packagist_uut_"
	  "a4742684ee75bb6cc69f67e48eb7c64328c0490c257a632b96292794c9bce4850bb"
	  "d",
	  "PP=packagist_uut_0e7cb3593871c15d694c1957f8db03" },
	{ "dockerconfig-secret", "app/config.txt",
	  "  .dockerconfigjson: "
	  "eyJhdXRocyI61wxpS5C42lmsDPrHCyUNx6Wv6FasvZvn1ORhFW88",
	  "eyJhdXRocyI61wxpS5C42lmsDPrHCyUNx6Wv6FasvZvn1ORhFW88",
	  "  .dockerconfigjson: xyz" },
	{ "docker-config-auth", "root/.docker/config.json",
	  "{\"auths\": {\"reg.internal\": {\"auth\": "
	  "\"bc7Vsgvs11oocgDrsNbrg27x==\"}}}",
	  "bc7Vsgvs11oocgDrsNbrg27x==",
	  "{\"auths\": {\"reg.internal\": {\"auth\": \"\"}}}" },
	{ "docker-hub-pat", "app/config.txt",
	  "DH=dckr_pat_IfwMC8s0zjQLiKxoPiQP9DKWWaF",
	  "dckr_pat_IfwMC8s0zjQLiKxoPiQP9DKWWaF", "DH=dckr_pat_MoTIIrtfqe" },
	{ "maven-settings-password", "app/.m2/settings.xml",
	  "<server><password>PtPAgscI7pWsTI</password></server>",
	  "PtPAgscI7pWsTI", "<server><password>${env.PW}</password></server>" },
	{ "maven-settings-passphrase", "app/.m2/settings.xml",
	  "<passphrase>4tJlkPVo0Hjbw8</passphrase>", "4tJlkPVo0Hjbw8",
	  "<passphrase>${env.PP}</passphrase>" },
	{ "maven-settings-security-master", "app/.m2/settings-security.xml",
	  "<master>{VT7zaOlBu+aFHjmZOn5OUp47ulVJFB7+KqhN+3+Y=}</master>",
	  "{VT7zaOlBu+aFHjmZOn5OUp47ulVJFB7+KqhN+3+Y=}",
	  "<master>{x}</master>" },
	{ "openai-project-api-key", "app/config.txt",
	  "OPENAI=sk-proj-"
	  "yiUAW6FpSon7upsQpPFIvBBxZ1JSXL9oh257rKGyu1TvnUYLp0WUOXIj6X11QPDCT3Bl"
	  "bkFJGkzo60tZ5D8NfbfuKTmloFJsOKIcoZFC2ceMNuXAC1n21ygbJSEqDgta4VEcAq9"
	  "0",
	  "sk-proj-"
	  "yiUAW6FpSon7upsQpPFIvBBxZ1JSXL9oh257rKGyu1TvnUYLp0WUOXIj6X11QPDCT3Bl"
	  "bkFJGkzo60tZ5D8NfbfuKTmloFJsOKIcoZFC2ceMNuXAC1n21ygbJSEqDgta4VEcAq9"
	  "0",
	  "OPENAI=sk-proj-L5uKYSAczkrWkMeFiUhdT3BlbkFJbi6o3JZ9mnFzzDurVmqT" },
	{ "openai-service-account-key", "app/config.txt",
	  "OPENAI=sk-svcacct-"
	  "kka8XeqpIT3Vh4oB2MOrvcsFJqlXjl8aXhPkcZQHOL94MjvHO31QpGMhqQtfOjdOT3Bl"
	  "bkFJiksHvg6lkF2arEzcI3gjgt1w8Ho9ugGd1rZiK99MkexFIXxnDZPDXCAsm9NdTHt"
	  "I",
	  "sk-svcacct-"
	  "kka8XeqpIT3Vh4oB2MOrvcsFJqlXjl8aXhPkcZQHOL94MjvHO31QpGMhqQtfOjdOT3Bl"
	  "bkFJiksHvg6lkF2arEzcI3gjgt1w8Ho9ugGd1rZiK99MkexFIXxnDZPDXCAsm9NdTHt"
	  "I",
	  "OPENAI=sk-svcacct-"
	  "b64Fn3MkH6u3WKXv1VzwT3BlbkFJvrA0QHPXgvh8WufC0mWG" },
	{ "openai-admin-api-key", "app/config.txt",
	  "OPENAI=sk-admin-"
	  "WjUzmHC76rPQWMscB1lcHyBfHEzQLJj7S3rqY1Jl4QiswzR8cABVJfge3Cz1CELnT3Bl"
	  "bkFJ0prmZ1e9Ks2cZO39nhEXVhNT5IlnCNK0XudVkdY7WUAVleVOBPd4mCoJuqJRYRE"
	  "g",
	  "sk-admin-"
	  "WjUzmHC76rPQWMscB1lcHyBfHEzQLJj7S3rqY1Jl4QiswzR8cABVJfge3Cz1CELnT3Bl"
	  "bkFJ0prmZ1e9Ks2cZO39nhEXVhNT5IlnCNK0XudVkdY7WUAVleVOBPd4mCoJuqJRYRE"
	  "g",
	  "OPENAI=sk-admin-QWkkhl9IsC6j5xG3MxboT3BlbkFJkoGXySyyP3y8JrET9wVv" },
	{ "openai-legacy-api-key", "app/config.txt",
	  "OPENAI=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",
	  "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",
	  "OPENAI=sk-7KlEJTuTQukjq79VE6MlT3BlbkFX7FlLTlWdWxsbu37E1fU5" },
	{ "openai-service-api-key", "app/config.txt",
	  "OPENAI=sk-myservice-"
	  "LR5QiBwKoRPtBNDZcM5mT3BlbkFJS3gpGMPuD9ImDFEz04kV",
	  "sk-myservice-LR5QiBwKoRPtBNDZcM5mT3BlbkFJS3gpGMPuD9ImDFEz04kV",
	  "OPENAI=sk-myservice-uIAMRip4AoT3BlbkFJU7BNUU3vBpfZnrzVLD3a" },
	{ "openai-realtime-client-secret", "app/config.txt",
	  "EK=ek_12afc8e00aa1da5204642bbdb4a78f19",
	  "ek_12afc8e00aa1da5204642bbdb4a78f19", "EK=ek_e8b8480f3b47c2043165" },
	{ "anthropic-api-key", "app/config.txt",
	  "ANTHROPIC=sk-ant-api03-huTWUDsf4-bsx6bpDNBIzsHdw0wcDgCh3edtap2jm-"
	  "bU9iRmkLqA_fUo5bGauF4X3RmDOTBRmTtMV7yL1ryqEeZBERd3NAA",
	  "sk-ant-api03-huTWUDsf4-bsx6bpDNBIzsHdw0wcDgCh3edtap2jm-bU9iRmkLqA_"
	  "fUo5bGauF4X3RmDOTBRmTtMV7yL1ryqEeZBERd3NAA",
	  "ANTHROPIC=sk-ant-api03-uBD5UE4HH9fIhbALOriJovigHhW1f96EWN294OuE" },
	{ "adobe-client-secret", "app/config.txt",
	  "ADOBE=p8e-RtLAQRE9CMgDayj8XRAUsCpdiSjVsa3v",
	  "p8e-RtLAQRE9CMgDayj8XRAUsCpdiSjVsa3v",
	  "ADOBE=p8e-tRZbUiaYJYwY4azJ5oAP" },
	{ "databricks-api-token", "app/config.txt",
	  "DB=dapi804hgdcbb4926926a778294h43c4802c",
	  "dapi804hgdcbb4926926a778294h43c4802c",
	  "DB=dapi788fbf742b65b754e51a" },
	{ "doppler-api-token", "app/config.txt",
	  "DOPPLER=dp.pt.yx1h0jqygxw77t2frzs2h24l7jaix57px7vyqb9maqd",
	  "dp.pt.yx1h0jqygxw77t2frzs2h24l7jaix57px7vyqb9maqd",
	  "DOPPLER=dp.pt.sfjwrikihiocqupcgenz" },
	{ "dropbox-short-lived-api-token", "app/config.txt",
	  "dropbox_token = "
	  "\"sl.lvF4wuFl03gtexQYvIaqJK5wy1_DN77318WI4y-RBdZzFlqx6PLcJBN_"
	  "Lb6HZq9H1R0GSpqYAXjhLoxgmy1Gnmfw3gnZQGav7-"
	  "SurZ6GoBI0pEjc4lZa6z4aaHX3PGRJ_XBV_cl\"",
	  "sl.lvF4wuFl03gtexQYvIaqJK5wy1_DN77318WI4y-RBdZzFlqx6PLcJBN_"
	  "Lb6HZq9H1R0GSpqYAXjhLoxgmy1Gnmfw3gnZQGav7-"
	  "SurZ6GoBI0pEjc4lZa6z4aaHX3PGRJ_XBV_cl",
	  "dropbox_token = \"sl.zNi1KJx6tNhGdGMyF8DaOq1Qt5crbJ3D7sICK1cS\"" },
	{ "dropbox-long-lived-api-token", "app/config.txt",
	  "dropbox_token = "
	  "\"ou9jtqu9njoAAAAAAAAAAzcuyjso8fm3jl1vzhcwhn77es5wb5fm5rt8fmi4rotc"
	  "\"",
	  "ou9jtqu9njoAAAAAAAAAAzcuyjso8fm3jl1vzhcwhn77es5wb5fm5rt8fmi4rotc",
	  "dropbox_token = \"stdalgevjbfAAAAAAAAAAklophkxlfdzjzcxrodxr\"" },
	{ "dropbox-api-secret", "app/config.txt",
	  "dropbox_secret = \"hkz3ccc6g0i0wex\"", "hkz3ccc6g0i0wex",
	  "dropbox_secret = \"hkz3ccc6g0\"" },
	{ "dynatrace-api-token", "app/config.txt",
	  "DT=dt0c01.KXKFVA4TJQGGPHJ5R88HU3PK."
	  "8C6QXMSZ9NIP86PGAGD5NOFKJQB1Z7HSHFNOP6DPEVGCNLTVF3LAU00CFPJ6KJWI",
	  "dt0c01.KXKFVA4TJQGGPHJ5R88HU3PK."
	  "8C6QXMSZ9NIP86PGAGD5NOFKJQB1Z7HSHFNOP6DPEVGCNLTVF3LAU00CFPJ6KJWI",
	  "DT=dt0c01.GGHVKWCAZPBPQYKCYTUCGUBL.ZNCUWLSFZPVYXPEIWJBXOZZVSFNMUZ" },
	{ "frameio-api-token", "app/config.txt",
	  "FIO=fio-u-"
	  "83gTv9lip8oHE9yyzQw12OPMldjP4fk67r4tDZqyZyorx8V0YZ8FOpr1yVqm51by",
	  "fio-u-"
	  "83gTv9lip8oHE9yyzQw12OPMldjP4fk67r4tDZqyZyorx8V0YZ8FOpr1yVqm51by",
	  "FIO=fio-u-TATfmB8H4zeaamTdJViNFWZ2dnCSVF" },
	{ "grafana-api-token", "app/config.txt",
	  "GRAFANA="
	  "eyJrIjoiRLs4caqizPHNroCY05LYRV9JXKOW40n459ZTfU94gymM219KZhAA2LG8Pdkz"
	  "qQvWrGjv3wgqYI7w5Qqa",
	  "eyJrIjoiRLs4caqizPHNroCY05LYRV9JXKOW40n459ZTfU94gymM219KZhAA2LG8Pdkz"
	  "qQvWrGjv3wgqYI7w5Qqa",
	  "GRAFANA=eyJrIjoiEgnVcR9SXTqtorY8hzrD6pffXsBD414rHjYcTwg5" },
	{ "grafana-cloud-api-token", "app/config.txt",
	  "GC=glc_T6Ep9RAiSYFyWjelD10Kw/ujpU/GsRZHUnVnGmxu==",
	  "glc_T6Ep9RAiSYFyWjelD10Kw/ujpU/GsRZHUnVnGmxu==",
	  "GC=glc_9sLRT58eMnU7cZGrQXZU" },
	{ "grafana-service-account-token", "app/config.txt",
	  "GSA=glsa_Yy9eRHN76ncg1aoKx5UCJRwieqj2qawE_8cbc938e",
	  "glsa_Yy9eRHN76ncg1aoKx5UCJRwieqj2qawE_8cbc938e",
	  "GSA=glsa_xACi0skTWm8XQP4E4jGwmr1a1ztH7TKp" },
	{ "hashicorp-tf-api-token", "app/config.txt",
	  "TF=lhzzvzz5vwlj87.atlasv1."
	  "0sinve0e6ap1znrijop6hscysiyre6rnotgxfxb7ehuna3i2r6d29cc83h4osvv7o",
	  "lhzzvzz5vwlj87.atlasv1."
	  "0sinve0e6ap1znrijop6hscysiyre6rnotgxfxb7ehuna3i2r6d29cc83h4osvv7o",
	  "TF=grzgjzsrwahyfa.atlasv1.zqinlcuixcsdmmqsnhvbzlrkvicups" },
	{ "linear-api-token", "app/config.txt",
	  "LINEAR=lin_api_i133mvmhzksme7b2mmqm9sbbewn0a8q9wkuwtgcl",
	  "lin_api_i133mvmhzksme7b2mmqm9sbbewn0a8q9wkuwtgcl",
	  "LINEAR=lin_api_wlnazwoydkdelyppckzk" },
	{ "mapbox-api-token", "app/config.txt",
	  "MAPBOX=pk."
	  "4ig7q6ynwqbmr71yk1iiahn8ybaf3cn8euv935napnwyggim232ed4kzp44j."
	  "h5yepoazocpgmac3dzpoc9",
	  "pk.4ig7q6ynwqbmr71yk1iiahn8ybaf3cn8euv935napnwyggim232ed4kzp44j."
	  "h5yepoazocpgmac3dzpoc9",
	  "MAPBOX=pk.usnibeoapydywdfezqftqkdqzmacar.ucqrtttzzrcwbvrtjomvar" },
	{ "new-relic-user-api-key", "app/config.txt",
	  "NR=NRAK-NBL63NHN1HF87WGFPGFXRTTSJ5V",
	  "NRAK-NBL63NHN1HF87WGFPGFXRTTSJ5V", "NR=NRAK-YGACCBDVWYTGQMO" },
	{ "new-relic-browser-api-token", "app/config.txt",
	  "NR=NRJS-d620104d159e8489b0a", "NRJS-d620104d159e8489b0a",
	  "NR=NRJS-c35e5fa870" },
	{ "planetscale-password", "app/config.txt",
	  "PS=pscale_pw_08bvo8wvapvf8kgcu1vxe8h3kn7d8p07fnnsaq1hl2k",
	  "pscale_pw_08bvo8wvapvf8kgcu1vxe8h3kn7d8p07fnnsaq1hl2k",
	  "PS=pscale_pw_wxjymhkiacwguituuxse" },
	{ "planetscale-api-token", "app/config.txt",
	  "PS=pscale_tkn_eezteee8aexej9h56r2lgqtz0l2g3vunbyognwvrame",
	  "pscale_tkn_eezteee8aexej9h56r2lgqtz0l2g3vunbyognwvrame",
	  "PS=pscale_tkn_cfzvvsjvifbepdbmiucs" },
	{ "postman-api-token", "app/config.txt",
	  "PM=PMAK-7129084bb54b8bb53759c076-7cb7f8013cb790fef33ef2c3ff57de1362",
	  "PMAK-7129084bb54b8bb53759c076-7cb7f8013cb790fef33ef2c3ff57de1362",
	  "PM=PMAK-8bef7a127f6c31d175a632f8" },
	{ "pulumi-api-token", "app/config.txt",
	  "PULUMI=pul-ee42ea368b23ff8500f17f4b4ca1b570e2e619e4",
	  "pul-ee42ea368b23ff8500f17f4b4ca1b570e2e619e4",
	  "PULUMI=pul-69a62c050bf72fbf666f" },
	{ "sendgrid-api-token", "app/config.txt",
	  "SG=SG.MTydRO9wUCaLVaqtBkXxKP."
	  "01AJmzQmdejjtYIQPjHR9aJ6IhIlU4wDKObKFl0cyaQ",
	  "SG.MTydRO9wUCaLVaqtBkXxKP."
	  "01AJmzQmdejjtYIQPjHR9aJ6IhIlU4wDKObKFl0cyaQ",
	  "SG=SG.4kqO3J9vR98taGDb60G9B5" },
	{ "sendinblue-api-token", "app/config.txt",
	  "SIB=xkeysib-"
	  "92954d2c93e7fb6d28c587db821f6a0efa5ea7d26dc47bbcfb4768314cd2feab-"
	  "w1ul4bkzxhs9npmx",
	  "xkeysib-"
	  "92954d2c93e7fb6d28c587db821f6a0efa5ea7d26dc47bbcfb4768314cd2feab-"
	  "w1ul4bkzxhs9npmx",
	  "SIB=xkeysib-9852e160d80205270575870032264f" },
	{ "symfony-default-secret", "app/config.txt",
	  "APP_SECRET=ThisTokenIsNotSoSecretChangeIt",
	  "ThisTokenIsNotSoSecretChangeIt", "APP_SECRET=ThisTokenIsSoSecret" },
	{ "typeform-api-token", "app/config.txt",
	  "typeform_token = "
	  "\"tfp_ve7wus04qvdfqkqfedqivv65jm9dj1ysbote4gejm23of41iamng3pq6178\"",
	  "tfp_ve7wus04qvdfqkqfedqivv65jm9dj1ysbote4gejm23of41iamng3pq6178",
	  "typeform_token = \"tfp_kxbahxahqjguwwotgfgj\"" },
	{ "sentry-auth-token", "app/config.txt",
	  "SENTRY=sntrys_"
	  "q5QIKDOdxV0ttr9syzTZUhuTDxmUFSDUgPJL7o4PdBMUHygth3XrtehTxEGqEnYbeEQz"
	  "qg",
	  "sntrys_"
	  "q5QIKDOdxV0ttr9syzTZUhuTDxmUFSDUgPJL7o4PdBMUHygth3XrtehTxEGqEnYbeEQz"
	  "qg",
	  "SENTRY=sntrys_OcU2e8taxtXicx7u7UnD" },
	{ "heroku-api-key", "app/config.txt",
	  "heroku_api_key = \"3E284142-E192-AD24-C311-9432A5D575CD\"",
	  "3E284142-E192-AD24-C311-9432A5D575CD",
	  "heroku_api_key = \"3E284142-E192-AD24-C\"" },
	{ "facebook-token", "app/config.txt",
	  "facebook_secret = \"ab37e328cf759ec646f3a708f4aa5a6d\"",
	  "ab37e328cf759ec646f3a708f4aa5a6d",
	  "facebook_secret = \"107b0811a7a8b9bbcc93\"" },
	{ "twitter-token", "app/config.txt",
	  "twitter_secret = \"70d715498acd947a1b5a41eafe6ab7233a007b22\"",
	  "70d715498acd947a1b5a41eafe6ab7233a007b22",
	  "twitter_secret = \"f16ec9fc9fab9b32fed0\"" },
	{ "adobe-client-id", "app/config.txt",
	  "adobe_client_id = \"766bb31ed04d259b3717bd5c2d6a9a5f\"",
	  "766bb31ed04d259b3717bd5c2d6a9a5f",
	  "adobe_client_id = \"04c5503b11606e4644e0\"" },
	{ "asana-client-id", "app/config.txt",
	  "asana_client_id = \"6294943638701052\"", "6294943638701052",
	  "asana_client_id = \"3843823923\"" },
	{ "asana-client-secret", "app/config.txt",
	  "asana_secret = \"h3nr16d5a2fe90ju3kn8v0pmok0w1ttk\"",
	  "h3nr16d5a2fe90ju3kn8v0pmok0w1ttk",
	  "asana_secret = \"n2fjmuh6sl04254r47m4\"" },
	{ "atlassian-api-token", "app/config.txt",
	  "atlassian_token = \"6j6koewyezgw1vwzj39ac4w6\"",
	  "6j6koewyezgw1vwzj39ac4w6", "atlassian_token = \"z1tk9ajxzuov\"" },
	{ "beamer-api-token", "app/config.txt",
	  "beamer_token = \"b_k99zlshibu425rx7bw98u4hvqyqbxyex8arvs5kybemn\"",
	  "b_k99zlshibu425rx7bw98u4hvqyqbxyex8arvs5kybemn",
	  "beamer_token = \"b_bxzeejhhbnidxxderrcy\"" },
	{ "contentful-delivery-api-token", "app/config.txt",
	  "contentful_token = \"j1mc5y1flitcfdkhcbukh3kglmwmxh1uz0q2o4blklj\"",
	  "j1mc5y1flitcfdkhcbukh3kglmwmxh1uz0q2o4blklj",
	  "contentful_token = \"wd27c29a22bvz6jd97j5\"" },
	{ "fastly-api-token", "app/config.txt",
	  "fastly_token = \"lyka66ax0my0v4kuymrnauu9qvk85rf5\"",
	  "lyka66ax0my0v4kuymrnauu9qvk85rf5",
	  "fastly_token = \"cj1f0s61afigyrh12qf2\"" },
	{ "hubspot-api-token", "app/config.txt",
	  "hubspot_key = \"b31f9628-8b6d-8eac-f314-914bc781ef02\"",
	  "b31f9628-8b6d-8eac-f314-914bc781ef02",
	  "hubspot_key = \"216ef29a54358a557f78\"" },
	{ "intercom-api-token", "app/config.txt",
	  "intercom_token = "
	  "\"qdoktey82ng04udyo347mqk7h9uzki445rxg95vkvgxyhi5svy9lubun3hs3\"",
	  "qdoktey82ng04udyo347mqk7h9uzki445rxg95vkvgxyhi5svy9lubun3hs3",
	  "intercom_token = \"xx4m8lxmmtspe0an9en66hphsgmard\"" },
	{ "intercom-client-secret", "app/config.txt",
	  "intercom_client_secret = \"d28a0db5-0657-3638-acc0-2d384db001dc\"",
	  "d28a0db5-0657-3638-acc0-2d384db001dc",
	  "intercom_client_secret = \"5bb4bb84554433593fde\"" },
	{ "ionic-api-token", "app/config.txt",
	  "ionic_token = \"ion_8adp1ipapwpf4y1v4cod26pclmeqfvfvf1te62pjlt\"",
	  "ion_8adp1ipapwpf4y1v4cod26pclmeqfvfvf1te62pjlt",
	  "ionic_token = \"ion_nkdwqnfsbpdxuxfuzbjq\"" },
	{ "linear-client-secret", "app/config.txt",
	  "linear_client_secret = \"1a136c576d8e27e07c36d29ba78a71cd\"",
	  "1a136c576d8e27e07c36d29ba78a71cd",
	  "linear_client_secret = \"d24221683cf863fe92f4\"" },
	{ "lob-api-key", "app/config.txt",
	  "lob_key = \"live_42fd405123a7178b5bd85ee5042d74833c2\"",
	  "live_42fd405123a7178b5bd85ee5042d74833c2",
	  "lob_key = \"live_7041b29ae696fa4bb784\"" },
	{ "lob-pub-api-key", "app/config.txt",
	  "lob_pub_key = \"test_pub_0dd51983ebf7c99c18fa6eb9eb2b67d\"",
	  "test_pub_0dd51983ebf7c99c18fa6eb9eb2b67d",
	  "lob_pub_key = \"test_pub_8b081abd1d97aaf35f3b\"" },
	{ "mailchimp-api-key", "app/config.txt",
	  "mailchimp_key = \"68f14ade9d4a455b817a151dd64b338e-us20\"",
	  "68f14ade9d4a455b817a151dd64b338e-us20",
	  "mailchimp_key = \"c80cc5c0b3aa41660793677fa31a2e37\"" },
	{ "mailgun-token", "app/config.txt",
	  "mailgun_key = \"key-6e9db073ac7d7a7c198ffe01ce75fc53\"",
	  "key-6e9db073ac7d7a7c198ffe01ce75fc53",
	  "mailgun_key = \"key-8e29e602225b0dde9bb5\"" },
	{ "mailgun-signing-key", "app/config.txt",
	  "mailgun_signing_key = "
	  "\"3f3b967cba892b3ba4a3a5d0b7c056eb-c875e5b1-0c7ac1ff\"",
	  "3f3b967cba892b3ba4a3a5d0b7c056eb-c875e5b1-0c7ac1ff",
	  "mailgun_signing_key = \"65255845a94f3489967ea4bfe5132148\"" },
	{ "messagebird-api-token", "app/config.txt",
	  "messagebird_key = \"el7bbo2f38plmuvbivxeebhdk\"",
	  "el7bbo2f38plmuvbivxeebhdk",
	  "messagebird_key = \"srtfn2r9adsotf9\"" },
	{ "messagebird-client-id", "app/config.txt",
	  "messagebird_client_id = \"f4cece67-8874-9c17-36eb-ebf0bc65bfc5\"",
	  "f4cece67-8874-9c17-36eb-ebf0bc65bfc5",
	  "messagebird_client_id = \"4d5f667b388b3f9c6ad0\"" },
	{ "new-relic-user-api-id", "app/config.txt",
	  "newrelic_user_id = "
	  "\"tqi99iksg1311mgj0l6juo1yrjglmk48m265gbm2cg81ntolwxg4ektjq9gddmpn"
	  "\"",
	  "tqi99iksg1311mgj0l6juo1yrjglmk48m265gbm2cg81ntolwxg4ektjq9gddmpn",
	  "newrelic_user_id = \"fqqfq5lqat3oxp0hoahvg25bonwcuy\"" },
	{ "linkedin-client-secret", "app/config.txt",
	  "linkedin_secret = \"nurmhjnctzqxovns\"", "nurmhjnctzqxovns",
	  "linkedin_secret = \"yqypifnn\"" },
	{ "linkedin-client-id", "app/config.txt",
	  "linkedin_client_id = \"nd9n3p96hfx1aa\"", "nd9n3p96hfx1aa",
	  "linkedin_client_id = \"q5km4it1\"" },
	{ "twitch-api-token", "app/config.txt",
	  "twitch_token = \"njzasby2u7oveidfscst8khfetbxlz\"",
	  "njzasby2u7oveidfscst8khfetbxlz",
	  "twitch_token = \"60hh73t52yg1oym\"" },
};

static struct customs_secrets *scanner(void)
{
	struct customs_secrets_opts o = CUSTOMS_SECRETS_OPTS_INIT;
	struct customs_secrets *s = NULL;
	struct customs_ctx *ctx = NULL;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_secrets_new(&s, &o, ctx), 0);
	customs_ctx_free(ctx);
	return s;
}

static struct customs_secrets_report *scan(struct customs_secrets *s,
					   const char *path, const char *text)
{
	struct customs_secrets_report *r = NULL;
	struct customs_ctx *ctx = NULL;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_secrets_scan_buffer(
				 &r, s, path, (const unsigned char *)text,
				 strlen(text), ctx),
			 0);
	customs_ctx_free(ctx);
	return r;
}

static const struct customs_secret_finding *
find(const struct customs_secrets_report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->n_findings; i++) {
		if (!strcmp(r->findings[i].rule_id, id))
			return &r->findings[i];
	}
	return NULL;
}

static void test_secrets_every_rule_has_a_sample(void **state)
{
	struct customs_secrets *s = scanner();
	struct customs_secret_rule_info ri;
	size_t i, j;

	(void)state;
	for (i = 0; i < customs_secrets_rule_count(s); i++) {
		customs_secrets_rule_info(s, i, &ri);
		for (j = 0; j < sizeof(samples) / sizeof(samples[0]); j++) {
			if (!strcmp(samples[j].id, ri.id))
				break;
		}
		if (j == sizeof(samples) / sizeof(samples[0]))
			fail_msg("rule %s has no sample", ri.id);
	}
	assert_true(customs_secrets_rule_count(s) >= 105);
	customs_secrets_free(s);
}

static void check_sample(struct customs_secrets *s, const struct sample *sm)
{
	char text[4096];
	struct customs_secrets_report *r;
	const struct customs_secret_finding *f;
	size_t i;

	/* two lines before, so the line number is checked too */
	snprintf(text, sizeof(text), "# settings\n\n%s\n", sm->text);
	r = scan(s, sm->path, text);
	f = find(r, sm->id);
	if (!f)
		fail_msg("rule %s: sample not found", sm->id);
	if (f->line != 3 && strcmp(sm->id, "private-key"))
		fail_msg("rule %s: line %u, want 3", sm->id, f->line);
	if (!strchr(f->match, '*'))
		fail_msg("rule %s: match not censored: %s", sm->id, f->match);
	for (i = 0; i < r->n_findings; i++) {
		if (sm->secret && strstr(r->findings[i].match, sm->secret))
			fail_msg("rule %s: secret leaked in %s", sm->id,
				 r->findings[i].match);
	}
	assert_string_equal(f->path + 1, sm->path);
	customs_secrets_report_free(r);
	snprintf(text, sizeof(text), "# settings\n\n%s\n", sm->near);
	r = scan(s, sm->path, text);
	if (find(r, sm->id))
		fail_msg("rule %s: near miss found: %s", sm->id, sm->near);
	customs_secrets_report_free(r);
}

static void test_secrets_samples_found_near_misses_not(void **state)
{
	struct customs_secrets *s = scanner();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		check_sample(s, &samples[i]);
	customs_secrets_free(s);
}

static void test_secrets_private_key_line_is_body_start(void **state)
{
	struct customs_secrets *s = scanner();
	struct customs_secrets_report *r =
		scan(s, "app/k.pem",
		     "x\n-----BEGIN EC PRIVATE KEY-----\n"
		     "MHcCAQEEIBmXQ2pYh3cFqT5aKJ0bXfWq1n6hZ9o0Ue8C\n"
		     "-----END EC PRIVATE KEY-----\n");

	(void)state;
	assert_int_equal(r->n_findings, 1);
	assert_string_equal(r->findings[0].rule_id, "private-key");
	assert_int_equal(r->findings[0].line, 3);
	assert_string_equal(r->findings[0].match,
			    "*****************************************"
			    "***");
	customs_secrets_report_free(r);
	customs_secrets_free(s);
}

static void test_secrets_example_allow_rule(void **state)
{
	struct customs_secrets *s = scanner();
	struct customs_secrets_report *r =
		scan(s, "app/a.txt", "id=AKIAIOSFODNN7EXAMPLE\n");

	(void)state;
	assert_int_equal(r->n_findings, 0);
	assert_int_equal(r->skipped[CUSTOMS_SKIP_ALLOWED_MATCH], 1);
	customs_secrets_report_free(r);
	r = scan(s, "usr/share/doc/x/README", "id=AKIAUJZDE8GXD6NCF10E\n");
	assert_int_equal(r->n_findings, 0);
	assert_int_equal(r->skipped[CUSTOMS_SKIP_ALLOWED_PATH], 1);
	customs_secrets_report_free(r);
	r = scan(s, "app/node_modules/x/a.js", "id=AKIAUJZDE8GXD6NCF10E\n");
	assert_int_equal(r->n_findings, 0);
	assert_int_equal(r->skipped[CUSTOMS_SKIP_PATH], 1);
	customs_secrets_report_free(r);
	customs_secrets_free(s);
}

static void test_secrets_binary_and_small_skipped(void **state)
{
	struct customs_secrets *s = scanner();
	struct customs_secrets_report *r = NULL;
	struct customs_ctx *ctx = NULL;
	static const unsigned char bin[] = "\x7f"
					   "ELF\0\0id=AKIAUJZDE8GXD6NCF10E\n";

	(void)state;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_secrets_scan_buffer(&r, s, "app/bin", bin,
						     sizeof(bin) - 1, ctx),
			 0);
	assert_int_equal(r->n_findings, 0);
	assert_int_equal(r->skipped[CUSTOMS_SKIP_BINARY], 1);
	customs_secrets_report_free(r);
	r = scan(s, "app/tiny", "AKIA");
	assert_int_equal(r->skipped[CUSTOMS_SKIP_TOO_SMALL], 1);
	customs_secrets_report_free(r);
	customs_ctx_free(ctx);
	customs_secrets_free(s);
}

static void test_secrets_huge_single_line_is_bounded(void **state)
{
	struct customs_secrets *s = scanner();
	size_t n = 4u << 20, i;
	char *big = malloc(n + 64);
	struct customs_secrets_report *r;

	(void)state;
	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = "keyaws=sk_"[i % 10];
	memcpy(big + n, " ghp_abcdefghijklmnopqrstuvwxyz0123456789 ", 42);
	big[n + 42] = '\0';
	r = scan(s, "app/big.txt", big);
	assert_non_null(find(r, "github-pat"));
	assert_true(strlen(find(r, "github-pat")->match) < 200);
	customs_secrets_report_free(r);
	free(big);
	customs_secrets_free(s);
}

static void test_secrets_anchore_secret_search(void **state)
{
	struct customs_secrets *s = scanner();
	struct customs_secrets_report *r =
		scan(s, "home/app/.aws/credentials",
		     "[default]\n"
		     "aws_access_key_id = AKIAUJZDE8GXD6NCF10E\n"
		     "aws_secret_access_key = "
		     "eL2HPcHyGcFRl1SPnXNYvMIHa+2o76umfXfKm+r5\n");

	(void)state;
	assert_int_equal(r->n_secret_search, 2);
	/* sorted by base64 key: AWS_ACCESS_KEY= < AWS_SECRET_KEY= */
	assert_true(
		!strncmp(r->secret_search[0].pattern, "AWS_ACCESS_KEY=", 15));
	assert_int_equal(r->secret_search[0].n_lines, 1);
	assert_int_equal(r->secret_search[0].lines[0], 1);
	assert_true(
		!strncmp(r->secret_search[1].pattern, "AWS_SECRET_KEY=", 15));
	assert_int_equal(r->secret_search[1].lines[0], 2);
	assert_string_equal(r->secret_search[0].path,
			    "/home/app/.aws/credentials");
	customs_secrets_report_free(r);
	customs_secrets_free(s);
}

static void test_secrets_content_search_named_and_bare(void **state)
{
	struct customs_secrets_opts o = CUSTOMS_SECRETS_OPTS_INIT;
	const char *const re[] = { "ROOTSH=root:.*:/bin/bash", "^daemon" };
	struct customs_secrets *s = NULL;
	struct customs_secrets_report *r;
	struct customs_ctx *ctx = NULL;

	(void)state;
	o.content_regexes = re;
	o.n_content_regexes = 2;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_secrets_new(&s, &o, ctx), 0);
	r = scan(s, "etc/passwd",
		 "root:x:0:0:root:/root:/bin/bash\n"
		 "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n");
	assert_int_equal(r->n_content_search, 2);
	/* sorted by key: "Uk9P..." (ROOTSH=...) before "XmRh..." (^daemon) */
	assert_string_equal(r->content_search[0].key,
			    "Uk9PVFNIPXJvb3Q6Lio6L2Jpbi9iYXNo\n");
	assert_int_equal(r->content_search[0].lines[0], 0);
	assert_string_equal(r->content_search[1].key, "XmRhZW1vbg==\n");
	assert_int_equal(r->content_search[1].lines[0], 1);
	assert_int_equal(r->n_retrieved, 1);
	assert_string_equal(r->retrieved[0].path, "/etc/passwd");
	assert_false(r->retrieved[0].truncated);
	customs_secrets_report_free(r);
	customs_secrets_free(s);
	customs_ctx_free(ctx);
}

static struct customs_secrets *content_scanner(const char *const *re, size_t n)
{
	struct customs_secrets_opts o = CUSTOMS_SECRETS_OPTS_INIT;
	struct customs_secrets *s = NULL;
	struct customs_ctx *ctx = NULL;

	o.content_regexes = re;
	o.n_content_regexes = n;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_secrets_new(&s, &o, ctx), 0);
	customs_ctx_free(ctx);
	return s;
}

/* The keys and line numbers of Anchore's functional test
 * tests/functional/clients/standalone/test_secret_content_search.py:
 * base64.encodebytes (76 characters a line, each ending in '\n') and
 * 0-based lines. */
static void test_secrets_anchore_keys_match_anchore_output(void **state)
{
	struct customs_secrets *s = scanner();
	struct customs_secrets_report *r =
		scan(s, "home/test_aws_access_key",
		     "aws_access_key_id = AKIAUJZDE8GXD6NCF10E\n");

	(void)state;
	assert_int_equal(r->n_secret_search, 1);
	assert_string_equal(r->secret_search[0].key,
			    "QVdTX0FDQ0VTU19LRVk9KD9pKS4qYXdzX2FjY2Vzc19rZXlfaW"
			    "QoICo9KyAqKS4qKD88IVtBLVow\n"
			    "LTldKVtBLVowLTldezIwfSg/IVtBLVowLTldKS4q\n");
	assert_int_equal(r->secret_search[0].n_lines, 1);
	assert_int_equal(r->secret_search[0].lines[0], 0);
	customs_secrets_report_free(r);
	r = scan(s, "home/test_rsa_key",
		 "-----BEGIN RSA PRIVATE KEY-----\nMIIEpA\n");
	assert_int_equal(r->n_secret_search, 1);
	assert_string_equal(
		r->secret_search[0].key,
		"UFJJVl9LRVk9KD9pKS0rQkVHSU4oLiopUFJJVkFURSBLRVktKw==\n");
	assert_int_equal(r->secret_search[0].lines[0], 0);
	customs_secrets_report_free(r);
	customs_secrets_free(s);
}

/* MAXFILESIZE=10000: a file of 10000 bytes is searched, 10001 is not. */
static void test_secrets_anchore_size_cap_is_inclusive(void **state)
{
	const char *const re[] = { "HIT=hit" };
	struct customs_secrets *s = content_scanner(re, 1);
	char *buf = malloc(10002);
	struct customs_secrets_report *r;

	(void)state;
	assert_non_null(buf);
	memset(buf, 'x', 10001);
	memcpy(buf, "hit\n", 4);
	buf[10000] = '\0';
	r = scan(s, "app/a.txt", buf);
	assert_int_equal(r->n_content_search, 1);
	customs_secrets_report_free(r);
	buf[10000] = 'x';
	buf[10001] = '\0';
	r = scan(s, "app/a.txt", buf);
	assert_int_equal(r->n_content_search, 0);
	customs_secrets_report_free(r);
	free(buf);
	customs_secrets_free(s);
}

/* readlines() keeps the '\n' in each line (a last line may lack it), and
 * "NAME=regex" splits at the first '=', wherever it is. */
static void test_secrets_anchore_lines_keep_newline_split_first_eq(void **s_)
{
	const char *const re[] = { "NL=.*end\\n", "a=b" };
	struct customs_secrets *s = content_scanner(re, 2);
	struct customs_secrets_report *r =
		scan(s, "app/a.txt", "end\nb=1 a=b\nend");

	(void)s_;
	assert_int_equal(r->n_content_search, 2);
	/* sorted by key: "Tkw9..." (NL=...) before "YT1i" (a=b) */
	assert_string_equal(r->content_search[0].pattern, "NL=.*end\\n");
	assert_int_equal(r->content_search[0].n_lines, 1);
	assert_int_equal(r->content_search[0].lines[0], 0);
	assert_string_equal(r->content_search[1].pattern, "a=b");
	assert_string_equal(r->content_search[1].key, "YT1i\n");
	assert_int_equal(r->content_search[1].n_lines, 1);
	assert_int_equal(r->content_search[1].lines[0], 1);
	customs_secrets_report_free(r);
	customs_secrets_free(s);
}

static void test_secrets_censor_replaces_secret_bytes(void **state)
{
	struct customs_secrets_opts o = CUSTOMS_SECRETS_OPTS_INIT;
	const char *by = "/bin/sh -c #(nop)  ARG NPM_TOKEN=npm_"
			 "Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5 X=1";
	struct customs_secrets *s = scanner();
	struct customs_ctx *ctx = NULL;
	char *out = NULL;

	(void)state;
	assert_int_equal(customs_secrets_censor(&out, s, by, strlen(by)), 0);
	assert_non_null(out);
	assert_string_equal(out, "/bin/sh -c #(nop)  ARG NPM_TOKEN="
				 "****************************************"
				 " X=1");
	free(out);
	assert_int_equal(customs_secrets_censor(&out, s, "RUN make", 8), 0);
	assert_null(out);
	customs_secrets_free(s);
	/* secrets off: nothing is censored */
	o.secrets = false;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_secrets_new(&s, &o, ctx), 0);
	assert_int_equal(customs_secrets_censor(&out, s, by, strlen(by)), 0);
	assert_null(out);
	customs_secrets_free(s);
	customs_ctx_free(ctx);
}

/* Content that ends where mapped memory ends: a SIMD scanner must not
 * read past it (Hyperscan's AVX-512 literal matcher did,
 * VectorCamp/vectorscan#322). Every length up to 300 bytes of a text
 * with keywords near its end, each still found. */
static void test_secrets_scan_at_end_of_mapped_memory(void **state)
{
	static const char tail[] = "aws_access_key_id = AKIAUJZDE8GXD6NCF10E";
	static const char fuzzed[] =
		"\xae\xae\xae\xae\xae\xae\xae\xae\xae\xae\xae\xae"
		"\xae\xae\xae\xae\xae\xae\xae\xae\xae\xae\xae\xae"
		"\xae\xae\xae\xae\xae\xae\xae\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x47\x65\x6d\x66\x69\x6c\x65\x2e\x6c"
		"\x6f\x63\xae\xae\xae\xae\xae\xae\xae\xae\xae\xae"
		"\xae\xae\xae\xae\x00\x69\x64\x3d\x41\x4b\x49\x41"
		"\x41\x55\x44\xae\xae\xae\xae\xae\xae\xae\xae\xae"
		"\xae\xae\xae\xae\xae\xae\xae\xae\xae\x00\x9b";
	long page = sysconf(_SC_PAGESIZE);
	struct customs_secrets *s = scanner();
	struct customs_secrets_report *r = NULL;
	struct customs_ctx *ctx = NULL;
	unsigned char *map;
	size_t n, tl = sizeof(tail) - 1;

	(void)state;
	map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
	assert_int_equal(customs_ctx_new(&ctx), 0);
	for (n = tl; n <= 300; n++) {
		unsigned char *p = map + page - n;

		memset(p, 'x', n - tl);
		memcpy(p + n - tl, tail, tl);
		assert_int_equal(customs_secrets_scan_buffer(&r, s, "app/a.txt",
							     p, n, ctx),
				 0);
		assert_non_null(find(r, "aws-access-key-id"));
		assert_int_equal(r->n_secret_search, 1);
		customs_secrets_report_free(r);
	}
	/* what the fuzzer found faulting there (binary: searches only) */
	for (n = 1; n <= sizeof(fuzzed) - 1; n++) {
		unsigned char *p = map + page - n;

		memcpy(p, fuzzed + sizeof(fuzzed) - 1 - n, n);
		assert_int_equal(customs_secrets_scan_buffer(&r, s, "app/a.txt",
							     p, n, ctx),
				 0);
		customs_secrets_report_free(r);
	}
	customs_ctx_free(ctx);
	munmap(map, (size_t)page * 2);
	customs_secrets_free(s);
}

static int load(const char *yaml, struct customs_secrets **s, char *msg,
		size_t n)
{
	struct customs_ctx *ctx = NULL;
	int rc;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	rc = customs_secrets_new_from_yaml(s, yaml, strlen(yaml), "t.yaml",
					   ctx);
	snprintf(msg, n, "%s", customs_ctx_errmsg(ctx));
	customs_ctx_free(ctx);
	return rc;
}

static void test_secrets_config_bad_regex_names_rule(void **state)
{
	struct customs_secrets *s = NULL;
	char msg[1024];

	(void)state;
	assert_int_equal(load("rules:\n"
			      "  - id: my-token\n"
			      "    regex: 'tok_(['\n",
			      &s, msg, sizeof(msg)),
			 CUSTOMS_EFORMAT);
	assert_null(s);
	assert_non_null(strstr(msg, "t.yaml: line 2"));
	assert_non_null(strstr(msg, "rule 'my-token'"));
	assert_non_null(strstr(msg, "missing terminating ]"));
	assert_int_equal(
		load("disable-rules: [no-such-rule]\n", &s, msg, sizeof(msg)),
		CUSTOMS_EFORMAT);
	assert_non_null(strstr(msg, "unknown rule id 'no-such-rule'"));
	assert_int_equal(
		load("disable-rule: [github-pat]\n", &s, msg, sizeof(msg)),
		CUSTOMS_EFORMAT);
	assert_non_null(strstr(msg, "unknown key"));
	assert_int_equal(load("rules: [\n", &s, msg, sizeof(msg)),
			 CUSTOMS_EFORMAT);
	assert_int_equal(load("rules:\n  - id: x\n", &s, msg, sizeof(msg)),
			 CUSTOMS_EFORMAT);
	assert_non_null(strstr(msg, "needs a regex"));
}

static void test_secrets_config_rules_and_allow_lists(void **state)
{
	struct customs_secrets *s = NULL;
	struct customs_secrets_report *r;
	char msg[1024];

	(void)state;
	assert_int_equal(load("rules:\n"
			      "  - id: acme-token\n"
			      "    category: Acme\n"
			      "    title: Acme token\n"
			      "    severity: high\n"
			      "    keywords: [acme_]\n"
			      "    regex: 'acme_(?<secret>[a-z]{10})'\n"
			      "    allow-rules:\n"
			      "      - id: acme-test\n"
			      "        regex: '^testtestte$'\n"
			      "disable-rules: [github-pat]\n"
			      "disable-allow-rules: [usr-dirs, examples]\n"
			      "allow-rules:\n"
			      "  - id: fixtures\n"
			      "    path: '^srv/fixtures/'\n",
			      &s, msg, sizeof(msg)),
			 0);
	r = scan(s, "usr/lib/app/conf",
		 "t=acme_abcdefghij ghp_abcdefghijklmnopqrstuvwxyz0123456789 "
		 "acme_testtestte AKIAIOSFODNN7EXAMPLE\n");
	assert_int_equal(r->n_findings, 2);
	assert_string_equal(r->findings[0].rule_id, "acme-token");
	assert_string_equal(r->findings[0].match,
			    "t=acme_********** ghp_abcdefghijklmnopqrstuvwxyz"
			    "012345678");
	assert_int_equal(r->findings[0].severity, CUSTOMS_SECRET_SEV_HIGH);
	assert_string_equal(r->findings[1].rule_id, "aws-access-key-id");
	customs_secrets_report_free(r);
	r = scan(s, "srv/fixtures/a", "t=acme_abcdefghij\n");
	assert_int_equal(r->n_findings, 0);
	customs_secrets_report_free(r);
	customs_secrets_free(s);
}

static void test_secrets_malware_db_missing(void **state)
{
	struct customs_secrets_opts o = CUSTOMS_SECRETS_OPTS_INIT;
	struct customs_secrets *s = NULL;
	struct customs_ctx *ctx = NULL;
	int rc;

	(void)state;
	o.malware_db = "/nonexistent-customs-db";
	assert_int_equal(customs_ctx_new(&ctx), 0);
	rc = customs_secrets_new(&s, &o, ctx);
	/* not found, or this build has no libclamav: never a silent clean */
	assert_true(rc == CUSTOMS_ENOTFOUND || rc == CUSTOMS_EUNSUPPORTED);
	assert_null(s);
	assert_non_null(
		strstr(customs_ctx_errmsg(ctx), "/nonexistent-customs-db"));
	customs_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secrets_every_rule_has_a_sample),
		cmocka_unit_test(test_secrets_samples_found_near_misses_not),
		cmocka_unit_test(
			test_secrets_anchore_keys_match_anchore_output),
		cmocka_unit_test(test_secrets_anchore_size_cap_is_inclusive),
		cmocka_unit_test(
			test_secrets_anchore_lines_keep_newline_split_first_eq),
		cmocka_unit_test(test_secrets_censor_replaces_secret_bytes),
		cmocka_unit_test(test_secrets_scan_at_end_of_mapped_memory),
		cmocka_unit_test(test_secrets_private_key_line_is_body_start),
		cmocka_unit_test(test_secrets_example_allow_rule),
		cmocka_unit_test(test_secrets_binary_and_small_skipped),
		cmocka_unit_test(test_secrets_huge_single_line_is_bounded),
		cmocka_unit_test(test_secrets_anchore_secret_search),
		cmocka_unit_test(test_secrets_content_search_named_and_bare),
		cmocka_unit_test(test_secrets_config_bad_regex_names_rule),
		cmocka_unit_test(test_secrets_config_rules_and_allow_lists),
		cmocka_unit_test(test_secrets_malware_db_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
