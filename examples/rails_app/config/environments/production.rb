# frozen_string_literal: true

Rails.application.configure do
  config.cache_classes = true
  # Loads the code (and, through the Railtie, compiles the policy) at boot, before Puma forks.
  config.eager_load = true
  config.consider_all_requests_local = false
  config.log_level = :info
  config.log_tags = [:request_id]
  config.active_support.deprecation = :notify
  config.logger = ActiveSupport::TaggedLogging.new(ActiveSupport::Logger.new($stdout)) if ENV["RAILS_LOG_TO_STDOUT"]
end
