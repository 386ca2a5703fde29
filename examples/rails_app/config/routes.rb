# frozen_string_literal: true

Rails.application.routes.draw do
  # Versions and names contain dots ("1.2.3", "zope.interface"): no format
  # suffix, and a version may hold any character but "/". (Constraints go on
  # the route that has the segment: elsewhere Rails checks them against the request.)
  scope format: false, constraints: { name: /.+/ } do
    get "/packages/:ecosystem/*name/:version", to: "packages#show", as: :package, constraints: { version: %r{[^/]+} }
    get "/metadata/:ecosystem/*name", to: "metadata#show", as: :metadata
  end
  get "/metrics", to: "metrics#show"
end
