"""Running the app: health and readiness for load balancers."""
