/// Lyceum's window onto OpenSSL 3.
///
/// Swift does not import function-like macros, so the ones the transport needs are wrapped here as
/// `static inline` functions with a `lyc_` prefix; `SSL_OP_*` flags are re-exported as
/// `static const uint64_t`.
#ifndef LYCEUM_COPENSSL_SHIM_H
#define LYCEUM_COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <stdint.h>

static const uint64_t LYC_SSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;
static const uint64_t LYC_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t LYC_SSL_OP_IGNORE_UNEXPECTED_EOF = SSL_OP_IGNORE_UNEXPECTED_EOF;
static const uint64_t LYC_SSL_OP_CIPHER_SERVER_PREFERENCE = SSL_OP_CIPHER_SERVER_PREFERENCE;
static const uint64_t LYC_SSL_OP_NO_TICKET = SSL_OP_NO_TICKET;
static const uint64_t LYC_SSL_OP_ALL = SSL_OP_ALL;

static const long LYC_SSL_MODE_ENABLE_PARTIAL_WRITE = SSL_MODE_ENABLE_PARTIAL_WRITE;
static const long LYC_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
static const long LYC_SSL_MODE_RELEASE_BUFFERS = SSL_MODE_RELEASE_BUFFERS;
static const long LYC_SSL_MODE_AUTO_RETRY = SSL_MODE_AUTO_RETRY;

static const unsigned long LYC_OPENSSL_VERSION_NUMBER = OPENSSL_VERSION_NUMBER;

static inline long lyc_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline long lyc_SSL_CTX_clear_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_clear_mode(ctx, mode); }
static inline long lyc_SSL_set_mode(SSL *ssl, long mode) { return SSL_set_mode(ssl, mode); }
static inline long lyc_SSL_get_mode(SSL *ssl) { return SSL_get_mode(ssl); }
static inline int lyc_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
  return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline int lyc_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
  return (int)SSL_CTX_set_max_proto_version(ctx, version);
}
static inline int lyc_SSL_set_min_proto_version(SSL *ssl, int version) {
  return (int)SSL_set_min_proto_version(ssl, version);
}
static inline int lyc_SSL_set_max_proto_version(SSL *ssl, int version) {
  return (int)SSL_set_max_proto_version(ssl, version);
}
static inline int lyc_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
  return (int)SSL_set_tlsext_host_name(ssl, name);
}
static inline long lyc_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
  return SSL_CTX_set_session_cache_mode(ctx, mode);
}
static inline long lyc_SSL_CTX_sess_set_cache_size(SSL_CTX *ctx, long size) {
  return SSL_CTX_sess_set_cache_size(ctx, size);
}
static inline int lyc_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) {
  return (int)SSL_CTX_set1_groups_list(ctx, list);
}
static inline int lyc_SSL_CTX_set1_sigalgs_list(SSL_CTX *ctx, const char *list) {
  return (int)SSL_CTX_set1_sigalgs_list(ctx, list);
}
static inline long lyc_SSL_CTX_set_ecdh_auto(SSL_CTX *ctx, int onoff) {
  (void)ctx; (void)onoff; return 1;  /* a no-op in OpenSSL >= 1.1.0 */
}
static inline long lyc_SSL_CTX_set_dh_auto(SSL_CTX *ctx, int onoff) { return SSL_CTX_set_dh_auto(ctx, onoff); }
static inline void lyc_SSL_CTX_set_read_ahead(SSL_CTX *ctx, int yes) { SSL_CTX_set_read_ahead(ctx, yes); }
static inline long lyc_SSL_CTX_add_extra_chain_cert(SSL_CTX *ctx, X509 *cert) {
  return SSL_CTX_add_extra_chain_cert(ctx, cert);
}
static inline long lyc_SSL_CTX_set_tlsext_servername_callback(
    SSL_CTX *ctx, int (*cb)(SSL *, int *, void *)) {
  return SSL_CTX_set_tlsext_servername_callback(ctx, cb);
}
static inline long lyc_SSL_CTX_set_tlsext_servername_arg(SSL_CTX *ctx, void *arg) {
  return SSL_CTX_set_tlsext_servername_arg(ctx, arg);
}
static inline int lyc_SSL_want_read(const SSL *ssl) { return SSL_want_read(ssl); }
static inline int lyc_SSL_want_write(const SSL *ssl) { return SSL_want_write(ssl); }
static inline int lyc_SSL_set_app_data(SSL *ssl, void *arg) { return SSL_set_app_data(ssl, arg); }
static inline void *lyc_SSL_get_app_data(const SSL *ssl) { return SSL_get_app_data(ssl); }
static inline const char *lyc_SSL_get_cipher(const SSL *ssl) { return SSL_get_cipher(ssl); }
static inline const char *lyc_SSL_get_cipher_name(const SSL *ssl) { return SSL_get_cipher_name(ssl); }

static inline long lyc_BIO_get_mem_data(BIO *bio, char **pp) { return BIO_get_mem_data(bio, pp); }
static inline long lyc_BIO_get_mem_ptr(BIO *bio, BUF_MEM **pp) { return BIO_get_mem_ptr(bio, pp); }
static inline size_t lyc_BIO_pending(BIO *bio) { return (size_t)BIO_pending(bio); }
static inline int lyc_BIO_flush(BIO *bio) { return (int)BIO_flush(bio); }
static inline long lyc_BIO_set_nbio(BIO *bio, long yes) { return BIO_set_nbio(bio, yes); }
static inline int lyc_BIO_get_fd(BIO *bio, int *fd) { return (int)BIO_get_fd(bio, fd); }

static inline void lyc_OPENSSL_free(void *ptr) { OPENSSL_free(ptr); }
static inline void *lyc_OPENSSL_malloc(size_t size) { return OPENSSL_malloc(size); }
static inline EVP_MD_CTX *lyc_EVP_MD_CTX_create(void) { return EVP_MD_CTX_new(); }

/* Stacks used by the transport. */
static inline int lyc_sk_X509_num(const STACK_OF(X509) *sk) { return sk_X509_num(sk); }
static inline X509 *lyc_sk_X509_value(const STACK_OF(X509) *sk, int i) { return sk_X509_value(sk, i); }
static inline void lyc_sk_X509_pop_free(STACK_OF(X509) *sk) { sk_X509_pop_free(sk, X509_free); }
static inline GENERAL_NAMES *lyc_sk_GENERAL_NAME_new_null(void) { return sk_GENERAL_NAME_new_null(); }
static inline int lyc_sk_GENERAL_NAME_push(GENERAL_NAMES *sk, GENERAL_NAME *name) {
  return sk_GENERAL_NAME_push(sk, name);
}
static inline int lyc_sk_GENERAL_NAME_num(const GENERAL_NAMES *sk) { return sk_GENERAL_NAME_num(sk); }
static inline void lyc_sk_GENERAL_NAME_pop_free(GENERAL_NAMES *sk) {
  sk_GENERAL_NAME_pop_free(sk, GENERAL_NAME_free);
}

/// Generates a key the way `EVP_PKEY_Q_keygen` does; it is variadic in C, so it is wrapped here.
static inline EVP_PKEY *lyc_keygen_ec_p256(void) { return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"); }
static inline EVP_PKEY *lyc_keygen_rsa(size_t bits) { return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", bits); }

#endif
