#pragma once
// Closed-form and numerically exact results of queueing theory that the validation tests compare the
// simulator with. Rates are per day, times in days; a = lambda / mu is the offered load in erlangs.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace dasim::validation {

/// Erlang B: the share of arrivals lost by an M/G/c/c system, by the stable recursion
/// B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
inline double erlang_b(int c, double a) {
  double b = 1;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  return b;
}

/// Erlang C: the probability that an arrival to an M/M/c queue waits; needs a < c.
inline double erlang_c(int c, double a) {
  if (a >= c) throw std::domain_error("erlang_c: the queue is unstable (a >= c)");
  const double b = erlang_b(c, a), rho = a / c;
  return b / (1 - rho + rho * b);
}

/// Mean wait in queue of an M/M/c queue: C / (c mu - lambda).
inline double mmc_mean_wait(int c, double lambda, double mu) {
  return erlang_c(c, lambda / mu) / (c * mu - lambda);
}

/// P(wait <= t) in an M/M/c FIFO queue: 1 - C exp(-(c mu - lambda) t).
inline double mmc_wait_within(int c, double lambda, double mu, double t) {
  return 1 - erlang_c(c, lambda / mu) * std::exp(-(c * mu - lambda) * t);
}

/// The q-quantile of the wait in an M/M/c FIFO queue: 0 up to the share served at once (1 - C), then
/// ln(C / (1 - q)) / (c mu - lambda).
inline double mmc_wait_quantile(int c, double lambda, double mu, double q) {
  const double C = erlang_c(c, lambda / mu);
  return q <= 1 - C ? 0.0 : std::log(C / (1 - q)) / (c * mu - lambda);
}

/// Mean wait of each class in an M/M/c queue with non-preemptive priority, classes in priority order, all with
/// service rate mu: W_k = C / (c mu) / ((1 - sigma_{k-1}) (1 - sigma_k)), sigma_k = sum_{i<=k} lambda_i / (c mu).
/// For c = 1 this is Cobham's formula (C = rho); for c > 1 it is exact because every class has the same
/// exponential service, so while all servers are busy they free up at rate c mu whoever is being served.
inline std::vector<double> priority_mean_waits(int c, const std::vector<double>& lambdas, double mu) {
  double lambda = 0;
  for (double l : lambdas) lambda += l;
  const double residual = erlang_c(c, lambda / mu) / (c * mu);
  std::vector<double> waits;
  double sigma = 0;
  for (double l : lambdas) {
    const double before = sigma;
    sigma += l / (c * mu);
    waits.push_back(residual / ((1 - before) * (1 - sigma)));
  }
  return waits;
}

/// M/M/c+M (Erlang A): c servers at rate mu, exponential patience at rate theta, FIFO. The number in the system
/// is a birth-death chain with births lambda and deaths min(n, c) mu + (n - c)+ theta; its stationary law,
/// truncated where it is negligible, gives everything below.
struct ErlangA {
  double mean_queue = 0;         // E[(N - c)+]
  double mean_busy = 0;          // E[min(N, c)]
  double queue_nonempty = 0;     // P(N > c)
  double abandon_share = 0;      // theta E[Q] / lambda: rate out of the queue by impatience over the arrival rate
  double served_share = 0;       // the same share computed from the waiting time law (a check on the above)
  double served_mean_wait = 0;   // E[wait | served]
  double mean_wait = 0;          // E[time in queue] over all arrivals, those served at once and those who leave
  double mean_wait_squared = 0;  // its second moment
};

inline ErlangA erlang_a(int c, double lambda, double mu, double theta) {
  if (theta <= 0 && lambda >= c * mu) throw std::domain_error("erlang_a: unstable without abandonment");
  // Unnormalised probabilities p_n, by the birth-death balance p_n = p_{n-1} lambda / death(n). Past the mode the
  // ratio lambda / death(n) only falls, so stopping at 1e-20 of the peak leaves a tail far below that.
  std::vector<double> p{1.0};
  double peak = 1;
  for (int n = 1;; ++n) {
    const double death = std::min(n, c) * mu + std::max(n - c, 0) * theta;
    p.push_back(p.back() * lambda / death);
    peak = std::max(peak, p.back());
    if (n > c && lambda < death && p.back() < 1e-20 * peak) break;
  }
  double total = 0;
  for (double x : p) total += x;
  ErlangA r;
  // An arrival that finds n >= c stands at position j = n - c + 1. The queue ahead of it shortens at rate
  // c mu + (j - 1) theta (a service, or one of the j - 1 ahead losing patience), so its virtual wait V is a sum
  // of independent exponentials; it is served if its own Exp(theta) patience outlasts V, which has
  // probability E[exp(-theta V)] = prod r_i / (r_i + theta), and E[V exp(-theta V)] = that times
  // sum 1 / (r_i + theta). By PASTA the arrival sees the stationary law.
  double served = 0, served_wait = 0;
  for (std::size_t n = 0; n < p.size(); ++n) {
    const double pn = p[n] / total;
    const int queued = std::max(static_cast<int>(n) - c, 0);
    r.mean_queue += queued * pn;
    if (queued > 0) r.queue_nonempty += pn;
    r.mean_busy += std::min(static_cast<int>(n), c) * pn;
    if (static_cast<int>(n) < c) {
      served += pn;
      continue;
    }
    double survive = 1, time = 0;
    for (int i = 1; i <= queued + 1; ++i) {
      const double rate = c * mu + (i - 1) * theta;
      survive *= rate / (rate + theta);
      time += 1 / (rate + theta);
    }
    served += pn * survive;
    served_wait += pn * survive * time;
    // Time in queue, whether it ends in service or in leaving: at position k the next event comes at rate
    // c mu + k theta (its own patience included) and is its own departure with probability theta / rate, so
    // T_k = X_k + [stays] T_{k-1} with X_k ~ Exp(rate) independent of which event it was.
    double m1 = 0, m2 = 0;  // E[T_{k-1}], E[T_{k-1}^2]
    for (int k = 1; k <= queued + 1; ++k) {
      const double rate = c * mu + k * theta, stays = 1 - theta / rate;
      m2 = 2 / (rate * rate) + 2 / rate * stays * m1 + stays * m2;
      m1 = 1 / rate + stays * m1;
    }
    r.mean_wait += pn * m1;
    r.mean_wait_squared += pn * m2;
  }
  r.abandon_share = theta * r.mean_queue / lambda;
  r.served_share = served;
  r.served_mean_wait = served_wait / served;
  return r;
}

}  // namespace dasim::validation
