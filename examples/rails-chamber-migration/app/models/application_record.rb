# Standard abstract base class for the app's models.
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end
