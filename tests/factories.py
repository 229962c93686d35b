"""factory_boy factories for the domain; personas in conftest build on these."""

import factory
from django.contrib.auth import get_user_model

from centres.models import ServiceCentre, Window
from staff.models import Officer, Role
from talents.models import DocumentType, Talent, origin_from

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCentre
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"centre{n}")
    name_zh = factory.Sequence(lambda n: f"服务中心{n}")
    name_en = factory.Sequence(lambda n: f"Service centre {n}")


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    centre = factory.SubFactory(CentreFactory)
    code = factory.Sequence(lambda n: f"w{n}")
    name_zh = factory.Sequence(lambda n: f"窗口{n}")
    name_en = factory.Sequence(lambda n: f"Window {n}")
    categories = factory.LazyFunction(
        lambda: ["settlement", "transport", "healthcare", "schooling", "entry_exit",
                 "talent_card", "policy_consultation"]
    )


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Officer {n}")
    role = Role.OFFICER
    centre = factory.SubFactory(CentreFactory)
    skills = factory.LazyFunction(lambda: ["settlement", "transport", "policy_consultation"])
    languages = factory.LazyFunction(lambda: ["zh", "en"])
    capacity = 20

    @factory.post_generation
    def windows(self, create, extracted, **kwargs):
        if create and extracted:
            self.windows.set(extracted)


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talent

    native_name = "王思远"
    latin_name = factory.Sequence(lambda n: f"Wang Siyuan {n}")
    nationality = "GB"
    document_type = DocumentType.PASSPORT
    document_number = factory.Sequence(lambda n: f"E{50000000 + n}")  # never the fixture's E12345678
    phone = factory.Sequence(lambda n: f"1380000{n:04d}")
    email = factory.Sequence(lambda n: f"talent{n}@example.org")
    preferred_language = "en"
    # Registered at the personas' city centre when it exists (pass centre= for another).
    centre = factory.LazyFunction(lambda: ServiceCentre.objects.filter(code="city").first())
    origin = factory.LazyAttribute(lambda talent: origin_from(talent.nationality))
