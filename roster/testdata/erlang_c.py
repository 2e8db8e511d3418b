#!/usr/bin/env python3
"""Independent Erlang C values for staffing_test.go (R8).

Closed form with exact rationals (fractions.Fraction, math.factorial):
    C(A, n) = (A^n/n! * n/(n-A)) / (sum_{k<n} A^k/k! + A^n/n! * n/(n-A))
    SL = 1 - C * exp(-(n-A) * T / AHT),  ASA = C * AHT / (n-A)
searching n upward from floor(A)+1. This shares no code or method with
staffing.go, which uses the Erlang B recurrence in float64.
Run: python3 roster/testdata/erlang_c.py
"""
from fractions import Fraction as F
from math import exp, factorial


def erlang_c(a, n):
    a = F(a)
    top = a**n / factorial(n) * F(n) / (n - a)
    return top / (sum(a**k / factorial(k) for k in range(n)) + top)


def level(a, n, t, aht):
    return float(1 - erlang_c(a, n) * F(exp(-float(n - F(a)) * t / aht)))


def need(calls, interval, aht, target, t):
    a = F(calls) * aht / interval
    n = int(a) + 1
    while level(a, n, t, aht) < target:
        n += 1
    c = erlang_c(a, n)
    return n, float(c), level(a, n, t, aht), float(c * aht / (n - a))


if __name__ == "__main__":
    # calls, interval s, AHT s, target level, answer within s
    for args in [(100, 1800, 180, 0.8, 20), (360, 3600, 240, 0.8, 20),
                 (50, 1800, 300, 0.9, 30), (1000, 3600, 300, 0.8, 20),
                 (20, 3600, 600, 0.8, 60), (30, 3600, 360, 0.8, 20),
                 (4, 3600, 360, 0.8, 20), (2, 3600, 360, 0.8, 20)]:
        print(args, "-> agents, P(wait), SL, ASA s:", need(*args))
    print("A=10 n=13: P(wait), SL:", float(erlang_c(10, 13)), level(10, 13, 20, 180))
