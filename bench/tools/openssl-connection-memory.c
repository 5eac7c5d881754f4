/*
 * How much heap one idle TLS connection costs inside OpenSSL, server side, on this machine.
 *
 * Makes N connected TLS pairs over socketpairs with the same settings as lyceumd's server
 * context (TLS 1.3, SSL_MODE_RELEASE_BUFFERS, no compression or renegotiation), exchanges one
 * line each way, frees the client ends, and reports the live bytes OpenSSL allocated per
 * server connection, grouped by the allocation site OpenSSL names (file:line). Lyceum cannot
 * go below this floor per TLS connection while it uses OpenSSL.
 *
 * Build and run: bash bench/tools/openssl-connection-memory.sh
 */
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PAIRS 1000
#define MAX_SITES 4096

struct site { const char *file; int line; long live; };
static struct site sites[MAX_SITES];
static int site_count;
static int tracking;

/* Each block carries its size and site in front of it. */
struct header { size_t size; int site; int pad; };

static int site_of(const char *file, int line) {
  for (int i = 0; i < site_count; i++)
    if (sites[i].line == line && strcmp(sites[i].file, file) == 0) return i;
  if (site_count == MAX_SITES) return -1;
  sites[site_count].file = file;
  sites[site_count].line = line;
  return site_count++;
}

static void *tracked_malloc(size_t size, const char *file, int line) {
  struct header *h = malloc(size + sizeof *h);
  if (!h) return NULL;
  h->size = size;
  h->site = tracking ? site_of(file, line) : -1;
  if (h->site >= 0) sites[h->site].live += (long)size;
  return h + 1;
}

static void tracked_free(void *p, const char *file, int line) {
  (void)file; (void)line;
  if (!p) return;
  struct header *h = (struct header *)p - 1;
  if (h->site >= 0) sites[h->site].live -= (long)h->size;
  free(h);
}

static void *tracked_realloc(void *p, size_t size, const char *file, int line) {
  if (!p) return tracked_malloc(size, file, line);
  struct header *h = (struct header *)p - 1;
  void *q = tracked_malloc(size, file, line);
  if (!q) return NULL;
  memcpy(q, p, h->size < size ? h->size : size);
  tracked_free(p, file, line);
  return q;
}

static int by_live_descending(const void *a, const void *b) {
  long x = ((const struct site *)a)->live, y = ((const struct site *)b)->live;
  return (y > x) - (y < x);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s CERT.pem KEY.pem\n", argv[0]);
    return 2;
  }
  CRYPTO_set_mem_functions(tracked_malloc, tracked_realloc, tracked_free);
  SSL_CTX *server = SSL_CTX_new(TLS_server_method());
  SSL_CTX *client = SSL_CTX_new(TLS_client_method());
  if (SSL_CTX_use_certificate_chain_file(server, argv[1]) != 1 ||
      SSL_CTX_use_PrivateKey_file(server, argv[2], SSL_FILETYPE_PEM) != 1) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  SSL_CTX_set_min_proto_version(server, TLS1_2_VERSION);
  SSL_CTX_set_options(server, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_mode(server, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                               SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_mode(client, SSL_MODE_RELEASE_BUFFERS);

  static SSL *servers[PAIRS], *clients[PAIRS];
  tracking = 1;
  for (int i = 0; i < PAIRS; i++) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) { perror("socketpair"); return 1; }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    servers[i] = SSL_new(server);
    clients[i] = SSL_new(client);
    SSL_set_fd(servers[i], fds[0]);
    SSL_set_fd(clients[i], fds[1]);
    SSL_set_accept_state(servers[i]);
    SSL_set_connect_state(clients[i]);
    for (int round = 0; round < 50; round++) {
      SSL_do_handshake(clients[i]);
      SSL_do_handshake(servers[i]);
    }
    char buffer[64];
    SSL_write(clients[i], "PING x\r\n", 8);
    SSL_read(servers[i], buffer, sizeof buffer);
    SSL_write(servers[i], "PONG x\r\n", 8);
    for (int round = 0; round < 5; round++) {
      SSL_read(clients[i], buffer, sizeof buffer);
      SSL_read(servers[i], buffer, sizeof buffer);
    }
  }
  for (int i = 0; i < PAIRS; i++) SSL_free(clients[i]);
  tracking = 0;

  long total = 0;
  for (int i = 0; i < site_count; i++) total += sites[i].live;
  qsort(sites, site_count, sizeof sites[0], by_live_descending);
  printf("%s, %s, %d idle server connections\n", OpenSSL_version(OPENSSL_VERSION),
         SSL_get_version(servers[0]), PAIRS);
  printf("live OpenSSL heap per server connection: %ld bytes\n", total / PAIRS);
  for (int i = 0; i < 8 && i < site_count; i++)
    printf("  %6ld  %s:%d\n", sites[i].live / PAIRS, sites[i].file, sites[i].line);
  return 0;
}
