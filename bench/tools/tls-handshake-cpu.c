/*
 * How much CPU one server-side TLS handshake costs in OpenSSL (the library Lyceum uses) and in
 * GnuTLS (the one Debian's InspIRCd and ngIRCd use), on this machine, with nothing else around
 * it: no sockets to accept, no event loop, no IRC.
 *
 * For each library, makes N connected pairs over socketpairs, one at a time: an OpenSSL client
 * (as lyceum-bench's, default settings) against the library's server, handshakes, one line
 * each way, then frees both ends. Only the server's calls are timed, with the thread's CPU
 * clock. The servers are set up as the three IRC servers are: the same EC P-256 certificate;
 * a client certificate requested (for certificate fingerprints) and any accepted; OpenSSL as
 * lyceumd's context (TLS 1.2 or 1.3, no session tickets, SSL_MODE_RELEASE_BUFFERS), GnuTLS
 * with ngIRCd's priority string (NORMAL:-VERS-SSL3.0) and no session tickets (its default).
 *
 * Prints the median of ten rounds of N/10 handshakes each, in µs of server CPU per handshake.
 *
 * Build and run: bash bench/tools/tls-handshake-cpu.sh [N]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 10

static double cpu_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int accept_any(int ok, X509_STORE_CTX *store) {
  (void)ok;
  (void)store;
  return 1;
}

static SSL_CTX *client_context;
static SSL_CTX *openssl_server;
static gnutls_certificate_credentials_t gnutls_credentials;
static gnutls_priority_t gnutls_priority;

/* What the client saw negotiated, per library (checked, printed with the figures). */
static char negotiated[2][128];

/* The server side of one connection, whichever library. */
struct server {
  SSL *ssl;
  gnutls_session_t session;
};

static int server_start(struct server *s, int fd, int use_gnutls) {
  if (!use_gnutls) {
    s->ssl = SSL_new(openssl_server);
    SSL_set_fd(s->ssl, fd);
    SSL_set_accept_state(s->ssl);
    return 0;
  }
  gnutls_init(&s->session, GNUTLS_SERVER | GNUTLS_NONBLOCK);
  gnutls_priority_set(s->session, gnutls_priority);
  gnutls_credentials_set(s->session, GNUTLS_CRD_CERTIFICATE, gnutls_credentials);
  gnutls_certificate_server_set_request(s->session, GNUTLS_CERT_REQUEST);
  gnutls_transport_set_int(s->session, fd);
  return 0;
}

/* One step of the server's handshake: 1 when done. */
static int server_handshake(struct server *s, int use_gnutls) {
  if (!use_gnutls) return SSL_do_handshake(s->ssl) == 1;
  return gnutls_handshake(s->session) == GNUTLS_E_SUCCESS;
}

static void server_read(struct server *s, int use_gnutls, char *buffer, int size) {
  if (!use_gnutls)
    SSL_read(s->ssl, buffer, size);
  else
    gnutls_record_recv(s->session, buffer, size);
}

static void server_write(struct server *s, int use_gnutls, const char *line) {
  if (!use_gnutls)
    SSL_write(s->ssl, line, (int)strlen(line));
  else
    gnutls_record_send(s->session, line, strlen(line));
}

static void server_free(struct server *s, int use_gnutls) {
  if (!use_gnutls)
    SSL_free(s->ssl);
  else
    gnutls_deinit(s->session);
}

/* Server CPU (µs) of `count` whole connections. */
static double run(int count, int use_gnutls) {
  double server_time = 0;
  for (int i = 0; i < count; i++) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
      perror("socketpair");
      exit(1);
    }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    SSL *client = SSL_new(client_context);
    SSL_set_fd(client, fds[1]);
    SSL_set_connect_state(client);
    struct server s;
    double start = cpu_us();
    server_start(&s, fds[0], use_gnutls);
    server_time += cpu_us() - start;
    int server_done = 0, client_done = 0;
    for (int step = 0; step < 50 && !(server_done && client_done); step++) {
      if (!client_done) client_done = SSL_do_handshake(client) == 1;
      if (!server_done) {
        start = cpu_us();
        server_done = server_handshake(&s, use_gnutls);
        server_time += cpu_us() - start;
      }
    }
    if (!(server_done && client_done)) {
      fprintf(stderr, "handshake did not finish (%s)\n", use_gnutls ? "GnuTLS" : "OpenSSL");
      ERR_print_errors_fp(stderr);
      exit(1);
    }
    if (i == 0)
      snprintf(negotiated[use_gnutls], sizeof negotiated[0], "%s %s %s",
               SSL_get_version(client), SSL_CIPHER_get_name(SSL_get_current_cipher(client)),
               OBJ_nid2sn(SSL_get_negotiated_group(client)));
    char buffer[256];
    SSL_write(client, "NICK a\r\n", 8);
    start = cpu_us();
    server_read(&s, use_gnutls, buffer, sizeof buffer);
    server_write(&s, use_gnutls, ":server 001 a :Welcome\r\n");
    server_time += cpu_us() - start;
    SSL_read(client, buffer, sizeof buffer);
    if (i == 0 && SSL_SESSION_has_ticket(SSL_get_session(client)))
      strncat(negotiated[use_gnutls], ", a session ticket sent",
              sizeof negotiated[0] - strlen(negotiated[use_gnutls]) - 1);
    SSL_free(client);
    start = cpu_us();
    server_free(&s, use_gnutls);
    server_time += cpu_us() - start;
    close(fds[0]);
    close(fds[1]);
  }
  return server_time;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s CERT.pem KEY.pem [connections]\n", argv[0]);
    return 2;
  }
  int count = argc > 3 ? atoi(argv[3]) : 2000;
  int per_round = count / ROUNDS > 0 ? count / ROUNDS : 1;

  client_context = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_mode(client_context, SSL_MODE_RELEASE_BUFFERS);

  openssl_server = SSL_CTX_new(TLS_server_method());
  if (SSL_CTX_use_certificate_chain_file(openssl_server, argv[1]) != 1 ||
      SSL_CTX_use_PrivateKey_file(openssl_server, argv[2], SSL_FILETYPE_PEM) != 1) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  SSL_CTX_set_min_proto_version(openssl_server, TLS1_2_VERSION);
  SSL_CTX_set_options(openssl_server, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                          SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(openssl_server, SSL_MODE_ENABLE_PARTIAL_WRITE |
                                       SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                       SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_session_id_context(openssl_server, (const unsigned char *)"lyceum", 6);
  SSL_CTX_set_verify(openssl_server, SSL_VERIFY_PEER, accept_any);
  SSL_CTX_set_num_tickets(openssl_server, 0);

  gnutls_global_init();
  gnutls_certificate_allocate_credentials(&gnutls_credentials);
  if (gnutls_certificate_set_x509_key_file(gnutls_credentials, argv[1], argv[2],
                                           GNUTLS_X509_FMT_PEM) < 0) {
    fprintf(stderr, "GnuTLS could not load the certificate\n");
    return 1;
  }
  if (gnutls_priority_init(&gnutls_priority, "NORMAL:-VERS-SSL3.0", NULL) < 0) {
    fprintf(stderr, "GnuTLS priority string refused\n");
    return 1;
  }

  /* Warm both up (first handshakes load providers, build tables). */
  run(20, 0);
  run(20, 1);

  double results[2][ROUNDS];
  for (int round = 0; round < ROUNDS; round++)
    for (int library = 0; library < 2; library++)
      results[library][round] = run(per_round, library) / per_round;
  printf("server CPU per connection (handshake, one line each way, free), median of %d rounds "
         "of %d, TLS 1.3, EC P-256 certificate:\n",
         ROUNDS, per_round);
  char gnutls_name[64];
  snprintf(gnutls_name, sizeof gnutls_name, "GnuTLS %s", gnutls_check_version(NULL));
  const char *names[2] = {OpenSSL_version(OPENSSL_VERSION), gnutls_name};
  for (int library = 0; library < 2; library++) {
    qsort(results[library], ROUNDS, sizeof(double), by_value);
    printf("  %-32s %7.1f µs (rounds %.1f-%.1f; %s)\n", names[library],
           results[library][ROUNDS / 2], results[library][0], results[library][ROUNDS - 1],
           negotiated[library]);
  }
  printf("RESULT tls-handshake-cpu connections=%d openssl_us=%.1f gnutls_us=%.1f ratio=%.2f\n",
         per_round * ROUNDS, results[0][ROUNDS / 2], results[1][ROUNDS / 2],
         results[0][ROUNDS / 2] / results[1][ROUNDS / 2]);
  return 0;
}
