/*
 * The censored view `customs inspect` prints by default: a shallow copy of
 * the image facts in which every string of the image config the secret
 * scan reads (ENV entries, label values, history created_by and so each
 * layer's created_by) and the Dockerfile guessed from history have each
 * secret the rules find replaced by '*' (customs_secrets_censor), so the
 * secret a finding censors is not printed in the clear a few lines up.
 * Strings without a secret are borrowed from the image, not copied.
 * `--show-secrets` prints the image as it is; `customs check` builds its
 * analysis document from the uncensored facts (the dockerfile gate needs
 * the real instruction text).
 */
#include <stdlib.h>
#include <string.h>

#include "inspect.h"
#include "util/banned.h"

/* Censor *slot in place (borrowed -> owned) when it holds a secret. */
static int censor_slot(struct inspect_censored *c, char **slot)
{
	char *out = NULL;
	int rc;

	if (!*slot)
		return 0;
	rc = customs_secrets_censor(&out, c->sec, *slot, strlen(*slot));
	if (rc || !out)
		return rc;
	if (c->n_owned == c->cap_owned) {
		size_t cap = c->cap_owned ? c->cap_owned * 2 : 16;
		char **v = realloc(c->owned, cap * sizeof(*v));

		if (!v) {
			free(out);
			return CUSTOMS_ENOMEM;
		}
		c->owned = v;
		c->cap_owned = cap;
	}
	c->owned[c->n_owned++] = out;
	*slot = out;
	return 0;
}

/* A label's value, censored as the scan sees it: "KEY=value". */
static int censor_label(struct inspect_censored *c, size_t i)
{
	const char *k = c->info.labels.keys[i], *v = c->info.labels.values[i];
	size_t kn = strlen(k), vn = v ? strlen(v) : 0;
	char *kv, *out = NULL;
	int rc;

	if (!v)
		return 0;
	kv = malloc(kn + vn + 2);
	if (!kv)
		return CUSTOMS_ENOMEM;
	memcpy(kv, k, kn);
	kv[kn] = '=';
	memcpy(kv + kn + 1, v, vn + 1);
	rc = customs_secrets_censor(&out, c->sec, kv, kn + 1 + vn);
	free(kv);
	if (rc || !out)
		return rc;
	/* keep only the value part; the key is printed as it is */
	memmove(out, out + kn + 1, vn + 1);
	c->info.labels.values[i] = out;
	c->owned_label[i] = out;
	return 0;
}

static int dup_arrays(struct inspect_censored *c,
		      const struct customs_image_info *in)
{
	size_t nh = in->n_history ? in->n_history : 1;
	size_t nl = in->n_layers ? in->n_layers : 1;
	size_t ne = in->env.n ? in->env.n : 1;
	size_t nk = in->labels.n ? in->labels.n : 1;

	c->history = calloc(nh, sizeof(*c->history));
	c->layers = calloc(nl, sizeof(*c->layers));
	c->env = calloc(ne, sizeof(*c->env));
	c->values = calloc(nk, sizeof(*c->values));
	c->owned_label = calloc(nk, sizeof(*c->owned_label));
	if (!c->history || !c->layers || !c->env || !c->values ||
	    !c->owned_label)
		return CUSTOMS_ENOMEM;
	/* a dir: image has no history, layers, env or labels (NULL arrays) */
	if (in->n_history)
		memcpy(c->history, in->history,
		       in->n_history * sizeof(*c->history));
	if (in->n_layers)
		memcpy(c->layers, in->layers,
		       in->n_layers * sizeof(*c->layers));
	if (in->env.n)
		memcpy(c->env, in->env.v, in->env.n * sizeof(*c->env));
	if (in->labels.n)
		memcpy(c->values, in->labels.values,
		       in->labels.n * sizeof(*c->values));
	c->info.history = c->history;
	c->info.layers = c->layers;
	c->info.env.v = c->env;
	c->info.labels.values = c->values;
	return 0;
}

int inspect_censor(struct inspect_censored *c,
		   const struct customs_image_info *in, char *dockerfile,
		   struct customs_secrets *sec)
{
	size_t i;
	int rc;

	memset(c, 0, sizeof(*c));
	c->info = *in;
	c->sec = sec;
	c->dockerfile = dockerfile;
	rc = dup_arrays(c, in);
	for (i = 0; !rc && i < in->n_history; i++)
		rc = censor_slot(c, &c->history[i].created_by);
	for (i = 0; !rc && i < in->n_layers; i++)
		rc = censor_slot(c, &c->layers[i].created_by);
	for (i = 0; !rc && i < in->env.n; i++)
		rc = censor_slot(c, &c->env[i]);
	for (i = 0; !rc && i < in->labels.n; i++)
		rc = censor_label(c, i);
	if (!rc)
		rc = censor_slot(c, &c->dockerfile);
	return rc;
}

void inspect_censored_free(struct inspect_censored *c)
{
	size_t i;

	for (i = 0; i < c->n_owned; i++)
		free(c->owned[i]);
	for (i = 0; c->owned_label && i < c->info.labels.n; i++)
		free(c->owned_label[i]);
	free(c->owned);
	free(c->owned_label);
	free(c->history);
	free(c->layers);
	free(c->env);
	free(c->values);
	memset(c, 0, sizeof(*c));
}
