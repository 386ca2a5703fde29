# frozen_string_literal: true

Rails.application.routes.draw do
  # Versions and names contain dots ("1.2.3", "zope.interface"): no format suffix,
  # and segments may hold any character but "/".
  scope format: false, constraints: { version: %r{[^/]+}, name: /.+/ } do
    get "/packages/:ecosystem/*name/:version", to: "packages#show", as: :package
    get "/metadata/:ecosystem/*name", to: "metadata#show", as: :metadata
  end
  get "/metrics", to: "metrics#show"
end
