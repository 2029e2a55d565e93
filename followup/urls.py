from followup import dashboard_urls, repeat_urls, staff_urls

app_name = "followup"
urlpatterns = staff_urls.urlpatterns + dashboard_urls.urlpatterns + repeat_urls.urlpatterns
