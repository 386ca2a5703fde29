# frozen_string_literal: true

require "rails_helper"

RSpec.describe "Routes" do
  it "takes scoped names and dotted versions in /packages" do
    expect(get: "/packages/npm/@acme/ui-kit/2.0.0-rc.1")
      .to route_to("packages#show", ecosystem: "npm", name: "@acme/ui-kit", version: "2.0.0-rc.1")
    expect(get: "/packages/maven/org.apache.commons:commons-text/1.10.0")
      .to route_to("packages#show", ecosystem: "maven", name: "org.apache.commons:commons-text", version: "1.10.0")
  end

  it "takes dotted and slashed names in /metadata" do
    expect(get: "/metadata/pypi/zope.interface").to route_to("metadata#show", ecosystem: "pypi", name: "zope.interface")
    expect(get: "/metadata/golang/golang.org/x/net").to route_to("metadata#show", ecosystem: "golang", name: "golang.org/x/net")
  end
end
