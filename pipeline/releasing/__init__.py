"""Version, build and publish the distribution."""
